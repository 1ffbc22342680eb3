package io.softmaxservice.system;

import java.util.Map;
import java.util.TreeMap;

import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's parts that annotations cannot say: the tensor type as nested
 * arrays of numbers, and the problem-details responses every operation can give.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	private static final String PROBLEM_JSON = "application/problem+json";

	static {
		SpringDocUtils.getConfig()
			.replaceWithSchema(Tensor.class, new Schema<>()
				.description("A tensor: nested JSON arrays of numbers (rank 1 to 8), rectangular, no empty dimension. "
						+ "Numbers may also be the tokens NaN, Infinity and -Infinity as Python's json writes them.")
				.types(java.util.Set.of("array"))
				.items(new Schema<>()))
			.replaceWithSchema(Mask.class, new Schema<>()
				.description("A mask: nested JSON arrays of true and false, shaped exactly like the tensor it masks; "
						+ "false masks an element out as a -Infinity logit does.")
				.types(java.util.Set.of("array"))
				.items(new Schema<>()));
	}

	private static final Map<String, String> ERRORS = new TreeMap<>(
			Map.of("400", "Malformed JSON, an unknown field, a wrong type, an invalid value or a shape mismatch", "408",
					"The body did not arrive within the configured deadline or minimum rate", "413",
					"The body, a tensor or the result is larger than the configured limits", "415",
					"The body is not application/json, is compressed (Content-Encoding), or is not UTF-8", "500",
					"The service failed (never for anything a client sent)", "503",
					"The service is busy; retry after the Retry-After header's seconds"));

	@Bean
	OpenAPI softmaxServiceOpenApi() {
		return new OpenAPI().info(new Info().title("softmax-service")
			.version("v1")
			.description("Softmax, its gradient and the cross-entropy loss for batches of tensors, "
					+ "computed with ND4J and checked against PyTorch. Bodies are UTF-8 JSON, sent uncompressed. "
					+ "null for an optional field means the field is absent (its default applies), as Python's "
					+ "None sends it; no other value is converted: a string where a number or a boolean is "
					+ "expected, or a number where a boolean is, is an error at that field. Every error, "
					+ "including those of the HTTP layer, is an RFC 9457 problem detail "
					+ "(application/problem+json)."));
	}

	@Bean
	OpenApiCustomizer problemResponses() {
		return (openApi) -> {
			ModelConverters.getInstance().readAll(Problem.class).forEach(openApi.getComponents()::addSchemas);
			openApi.getPaths().values().forEach((path) -> path.readOperations().forEach((operation) -> {
				ERRORS
					.forEach((status, description) -> operation.getResponses()
						.computeIfAbsent(status, (key) -> new ApiResponse().description(description)
							.content(new Content().addMediaType(PROBLEM_JSON,
									new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))))));
			}));
		};
	}

}
