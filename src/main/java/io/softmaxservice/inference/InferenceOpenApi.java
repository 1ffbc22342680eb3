package io.softmaxservice.inference;

import java.util.Map;

import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The protocol's error answers in the OpenAPI document: every {@code /v2} operation
 * answers errors as {@code {"error": "..."}}, not as problem details. The request record
 * is an object to the document, as its operations describe it: springdoc would otherwise
 * inspect its free-form {@code parameters} (a Jackson {@code ObjectNode}) as a bean, and
 * log the node's conflicting setters as a warning each time the document is made.
 */
@Configuration(proxyBeanMethods = false)
class InferenceOpenApi {

	static {
		SpringDocUtils.getConfig().replaceWithSchema(InferenceRequest.class, new ObjectSchema());
	}

	private static final Map<String, String> ERRORS = Map.of("400",
			"An invalid request; the error names the input's element (logits[3, 7]) or parameter and the fix", "404",
			"No such model or version", "413", "The body, a tensor or the result is larger than the limits", "415",
			"The body is neither application/json nor application/octet-stream", "503",
			"Shed under load: retry after Retry-After seconds", "500",
			"The service failed (never for anything a client sent)");

	@Bean
	OpenApiCustomizer inferenceErrors() {
		return (openApi) -> {
			ObjectSchema error = new ObjectSchema();
			error.addProperty("error", new StringSchema().example(
					"logits[0, 1]: +Infinity is not allowed in logits; send a finite number, or -Infinity to mask the class out."));
			error.addRequiredItem("error");
			openApi.getComponents().addSchemas("InferenceError", error);
			openApi.getPaths().forEach((path, item) -> {
				if (path.startsWith("/v2")) {
					item.readOperations()
						.forEach((operation) -> ERRORS.forEach((status, description) -> operation.getResponses()
							.addApiResponse(status, new ApiResponse().description(description)
								.content(new Content().addMediaType("application/json", new MediaType()
									.schema(new ObjectSchema().$ref("#/components/schemas/InferenceError")))))));
				}
			});
		};
	}

}
