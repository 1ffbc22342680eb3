package io.softmaxservice.system;

import java.util.List;
import java.util.Map;

import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's parts that annotations cannot say: the tensor types, the
 * problem-details responses with an example per status, and the answers to the request
 * examples. The document's server is the URL the request reached, after forwarded headers
 * ({@code server.forward-headers-strategy}).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static {
		SpringDocUtils.getConfig()
			.replaceWithSchema(Tensor.class, TensorSchemas.tensorReference())
			.replaceWithSchema(Mask.class, TensorSchemas.maskReference());
	}

	@Bean
	OpenAPI softmaxServiceOpenApi() {
		// No authentication: the service is meant to run behind a gateway that does it.
		return new OpenAPI().security(List.of())
			.info(new Info().title("softmax-service")
				.version("v1")
				.license(new License().name("Apache License 2.0").url("https://www.apache.org/licenses/LICENSE-2.0"))
				.description("Softmax, its gradient and the cross-entropy loss for batches of tensors, as PyTorch "
						+ "computes them in float64 (or float32), over JSON. A tensor is nested JSON arrays of numbers; "
						+ "`-Infinity` (as Python's json writes it) masks a class out. Bodies are UTF-8 JSON, sent "
						+ "uncompressed. null for an optional field means the field is absent (its default applies), "
						+ "as Python's None sends it; no other value is converted: a string where a number or a "
						+ "boolean is expected, or a number where a boolean is, is an error at that field. Every "
						+ "error, including those of the HTTP layer, is an RFC 9457 problem detail "
						+ "(`application/problem+json`) whose `errors` point into the request body with RFC 6901 JSON "
						+ "Pointers. The limits in force are at /actuator/info."));

	}

	@Bean
	OpenApiCustomizer softmaxServiceOpenApiCustomizer() {
		return (openApi) -> {
			ModelConverters.getInstance().readAll(Problem.class).forEach(openApi.getComponents()::addSchemas);
			TensorSchemas.addTo(openApi);
			if (openApi.getPaths() == null) {
				return;
			}
			openApi.getPaths().forEach((path, item) -> item.readOperations().forEach((operation) -> {
				if (!path.startsWith("/v2")) {
					SuccessExamples.addTo(path, operation);
					ProblemResponses.addTo(path, operation);
				}
				dropKeyDescriptions(operation);
			}));
		};
	}

	/**
	 * Removes the example descriptions that only repeat the example's name (springdoc
	 * fills them in), so that Swagger UI shows the summary alone.
	 */
	private static void dropKeyDescriptions(Operation operation) {
		if (operation.getRequestBody() != null) {
			dropKeyDescriptions(operation.getRequestBody().getContent());
		}
		if (operation.getResponses() != null) {
			operation.getResponses().values().forEach((response) -> dropKeyDescriptions(response.getContent()));
		}
	}

	private static void dropKeyDescriptions(Content content) {
		if (content == null) {
			return;
		}
		content.values()
			.stream()
			.filter((media) -> media.getExamples() != null)
			.flatMap((media) -> media.getExamples().entrySet().stream())
			.filter((example) -> example.getKey().equals(example.getValue().getDescription()))
			.map(Map.Entry::getValue)
			.forEach((Example example) -> example.setDescription(null));
	}

}
