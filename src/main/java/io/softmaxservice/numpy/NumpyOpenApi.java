package io.softmaxservice.numpy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Documents the NumPy media types on every operation whose mapping consumes or produces
 * them, in one place: the request bodies and answers as binary files, what their members
 * are, and where the other fields go.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class NumpyOpenApi {

	private static final String NPZ_REQUEST = "A .npz archive (numpy.savez or numpy.savez_compressed) whose members are "
			+ "this request's tensor fields by name (logits.npy or logits, ...): float16/32/64 in either byte order, "
			+ "integers for target, bool for mask. Every other field is a query parameter with the same name and "
			+ "rules (e.g. ?axis=0&log=true). Without dtype the computation follows the point's array (float64, or "
			+ "float32 for float32/float16). Never unpickled.";

	private static final String NPY_REQUEST = "One .npy array (numpy.save), read as logits; every other field is a "
			+ "query parameter with the same name and rules.";

	private static final String NPZ_ANSWER = "An uncompressed .npz archive (read it with numpy.load) whose members are "
			+ "the JSON answer's fields, little-endian, C order, in the computation's dtype; a mean or sum loss is a "
			+ "0-d array. Chosen by Accept, or by the body's format when Accept is absent or */*.";

	private static final String NONFINITE = "With Accept: application/json; nonfinite=null, non-finite numbers "
			+ "(log-probabilities of masked classes) are written as null instead of the bare -Infinity token";

	private static final String NOT_ACCEPTABLE = "Accept names no type this answer can be written as (or "
			+ "application/x-npy for an answer of more than one field), refuses every type it names (q=0), or asks for "
			+ "a nonfinite other than null";

	/** JSON whose non-finite numbers are written as {@code null}. */
	static final String JSON_NONFINITE_NULL = "application/json; nonfinite=null";

	/**
	 * What /softmax answers to {"logits": [[1, 5, 0]], "mask": [[true, false, true]],
	 * "log": true}, as nonfinite=null writes it.
	 */
	static final Map<String, List<List<@Nullable Double>>> MASKED_LOG_SOFTMAX = Map.of("log_probabilities",
			List.of(Arrays.asList(-0.31326168751822286, null, -1.3132616875182228)));

	private static final String NPY_ANSWER = "One .npy array, when the answer has a single field (else 406).";

	@Bean
	OpenApiCustomizer numpyMediaTypes(
			@Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
		return (openApi) -> mappings.getHandlerMethods().keySet().forEach((info) -> {
			Set<org.springframework.http.MediaType> consumes = info.getConsumesCondition().getConsumableMediaTypes();
			Set<org.springframework.http.MediaType> produces = info.getProducesCondition().getProducibleMediaTypes();
			if (!consumes.contains(NumpyMediaTypes.NPZ) && !produces.contains(NumpyMediaTypes.NPZ)) {
				return;
			}
			for (String path : info.getPatternValues()) {
				PathItem item = (openApi.getPaths() != null) ? openApi.getPaths().get(path) : null;
				if (item != null) {
					item.readOperations().forEach((operation) -> document(operation, info));
				}
			}
		});
	}

	private static void document(Operation operation, RequestMappingInfo info) {
		Set<org.springframework.http.MediaType> consumes = info.getConsumesCondition().getConsumableMediaTypes();
		RequestBody body = operation.getRequestBody();
		if (body != null) {
			Content content = (body.getContent() != null) ? body.getContent() : new Content();
			if (consumes.contains(NumpyMediaTypes.NPZ)) {
				content.addMediaType(NumpyMediaTypes.NPZ_VALUE, binary(NPZ_REQUEST));
			}
			if (consumes.contains(NumpyMediaTypes.NPY)) {
				content.addMediaType(NumpyMediaTypes.NPY_VALUE, binary(NPY_REQUEST));
			}
			body.setContent(content);
		}
		ApiResponse ok = (operation.getResponses() != null) ? operation.getResponses().get("200") : null;
		if (ok != null && ok.getContent() != null) {
			MediaType json = ok.getContent().get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
			if (json != null) {
				Content content = new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
						json);
				content.addMediaType(JSON_NONFINITE_NULL,
						strictJson(json, info.getPatternValues().contains("/softmax")));
				ok.getContent().forEach(content::putIfAbsent);
				ok.setContent(content);
			}
			ok.getContent().addMediaType(NumpyMediaTypes.NPZ_VALUE, binary(NPZ_ANSWER));
			ok.getContent().addMediaType(NumpyMediaTypes.NPY_VALUE, binary(NPY_ANSWER));
			ok.setDescription(((ok.getDescription() != null) ? ok.getDescription() + ". " : "") + NONFINITE);
		}
		if (operation.getResponses() != null) {
			operation.getResponses().computeIfAbsent("406", (status) -> new ApiResponse().description(NOT_ACCEPTABLE));
		}
	}

	/**
	 * The JSON answer's schema as {@link #JSON_NONFINITE_NULL}, which Swagger UI then
	 * offers as a response media type (and sends as {@code Accept}); with an example of a
	 * masked log-softmax on /softmax, the one answer that holds non-finite numbers.
	 */
	private static MediaType strictJson(MediaType json, boolean softmax) {
		MediaType strict = new MediaType().schema(json.getSchema());
		if (softmax) {
			strict.addExamples("masked-log", new Example().summary(
					"Log-softmax with class 1 masked out (logits [[1, 5, 0]], mask [[true, false, true]], log true)")
				.value(MASKED_LOG_SOFTMAX));
		}
		return strict;
	}

	private static MediaType binary(String description) {
		return new MediaType().schema(new BinarySchema().description(description));
	}

}
