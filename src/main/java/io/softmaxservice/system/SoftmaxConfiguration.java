package io.softmaxservice.system;

import java.util.List;
import java.util.Map;

import io.softmaxservice.tensor.LargeArrays;
import io.softmaxservice.tensor.TensorLimits;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The service's configuration: binds {@link SoftmaxProperties} once and hands its parts
 * to the code that needs them, and makes Jackson read scalars strictly. The JSON and MVC
 * test slices import it too (see {@code src/test/resources/META-INF/spring}), so that
 * they read JSON as the service does.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SoftmaxProperties.class)
class SoftmaxConfiguration {

	/**
	 * For each scalar type, the shapes of JSON value that would be coerced into it and
	 * are refused instead. An integer is a number's own shape, not a coercion, for a
	 * floating-point field.
	 */
	private static final Map<LogicalType, List<CoercionInputShape>> REFUSED = Map.of(LogicalType.Boolean,
			List.of(CoercionInputShape.EmptyString, CoercionInputShape.String, CoercionInputShape.Integer,
					CoercionInputShape.Float),
			LogicalType.Integer,
			List.of(CoercionInputShape.EmptyString, CoercionInputShape.String, CoercionInputShape.Float,
					CoercionInputShape.Boolean),
			LogicalType.Float,
			List.of(CoercionInputShape.EmptyString, CoercionInputShape.String, CoercionInputShape.Boolean),
			LogicalType.Textual,
			List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean), LogicalType.Enum,
			List.of(CoercionInputShape.EmptyString, CoercionInputShape.Integer, CoercionInputShape.Float,
					CoercionInputShape.Boolean));

	@Bean
	TensorLimits tensorLimits(SoftmaxProperties properties) {
		return properties.limits();
	}

	/**
	 * The arrays large JSON tensors are read into, kept between requests.
	 * @return the arrays
	 */
	@Bean
	LargeArrays largeArrays() {
		return new LargeArrays();
	}

	/**
	 * No scalar is ever coerced: an empty or blank string, a string where a number or a
	 * boolean is expected, a number where a boolean or a string is expected, are all
	 * refused at their field ({@code spring.jackson.mapper.allow-coercion-of-scalars}
	 * alone lets blank strings become {@code null}). A shape that is a scalar type's own
	 * (a string for text, a number for a number) is not a coercion and is read.
	 * @return the customizer
	 */
	@Bean
	JsonMapperBuilderCustomizer strictScalars() {
		return (builder) -> {
			builder.withCoercionConfigDefaults((config) -> config.setAcceptBlankAsEmpty(false)
				.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
			REFUSED.forEach((type, shapes) -> builder.withCoercionConfig(type, (config) -> {
				config.setAcceptBlankAsEmpty(false);
				shapes.forEach((shape) -> config.setCoercion(shape, CoercionAction.Fail));
			}));
		};
	}

}
