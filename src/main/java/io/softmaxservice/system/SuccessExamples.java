package io.softmaxservice.system;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * The answer to each request example of the OpenAPI document, under the same name, so
 * that Swagger UI shows only the fields that come together (never {@code probabilities}
 * beside {@code log_probabilities}) with the service's own values. A test sends every
 * request example and compares the answer with these.
 */
final class SuccessExamples {

	private static final Map<String, Map<String, String>> ANSWERS = Map.of("/softmax",
			answers("batch",
					"{\"probabilities\":[[0.09003057317038046,0.24472847105479764,0.6652409557748218],"
							+ "[0.3333333333333333,0.3333333333333333,0.3333333333333333]]}",
					"log-temperature", "{\"log_probabilities\":[[-4000.0,-2000.0,0.0]]}", "axis-float32",
					"{\"probabilities\":[[0.11920292,0.11920292],[0.8807971,0.8807971]]}"),
			"/softmax/grad",
			answers("vjp", "{\"grad_logits\":[[0.08192506906499324,-0.022033044520174298,-0.05989202454481893]]}",
					"jacobian",
					"{\"jacobian\":[[[0.08192506906499324,-0.022033044520174298,-0.05989202454481893],"
							+ "[-0.022033044520174298,0.1848364465099787,-0.1628034019898044],"
							+ "[-0.05989202454481893,-0.1628034019898044,0.2226954265346234]],"
							+ "[[0.006604153861589346,-4.420061727665765E-5,-0.0065599532443126884],"
							+ "[-4.420061727665765E-5,0.006604153861589346,-0.0065599532443126884],"
							+ "[-0.0065599532443126884,-0.0065599532443126884,0.013119906488625419]]]}",
					"log-from-probabilities", "{\"grad_logits\":[[0.25,-0.25],[-4.0,4.0]]}", "axis-temperature-float32",
					"{\"grad_logits\":[[0.09830596,0.0],[-0.09830596,0.0],[0.0,0.0]]}", "jacobian-log-probabilities",
					"{\"jacobian\":[[0.5,-0.5],[-0.5,0.5]]}"),
			"/cross-entropy",
			answers("indices",
					"{\"loss\":13.126930001932529,"
							+ "\"grad_logits\":[[0.1192026847025014,-0.9999980091124268,0.8807953244099253]]}",
					"weighted-smoothed", "{\"loss\":11.69615478709099}", "probabilities",
					"{\"loss\":[0.8076059644443804,1.0986122886681098]}", "sequence",
					"{\"loss\":0.27980717441775776,\"grad_logits\":[[[0.12236423552739882,-0.1673795221125891,"
							+ "0.04501528658519022],[0.03525473033060252,0.03525473033060252,-0.07050946066120511]]]}",
					"rank1-float32", "{\"loss\":1.0019429}"));

	private SuccessExamples() {
	}

	/**
	 * Adds the answers to the request examples of the operation to its JSON 200 response,
	 * with the request examples' summaries.
	 * @param path the operation's path
	 * @param operation the operation
	 */
	static void addTo(String path, Operation operation) {
		Map<String, String> answers = ANSWERS.get(path);
		ApiResponse ok = (operation.getResponses() != null) ? operation.getResponses().get("200") : null;
		MediaType json = (ok != null && ok.getContent() != null) ? ok.getContent().get("application/json") : null;
		if (answers == null || json == null) {
			return;
		}
		Map<String, Example> requests = requestExamples(operation);
		answers.forEach((name, answer) -> {
			Example request = requests.get(name);
			json.addExamples(name,
					new Example().summary((request != null) ? request.getSummary() : name).value(parse(answer)));
		});
	}

	private static Map<String, Example> requestExamples(Operation operation) {
		if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
			return Map.of();
		}
		MediaType json = operation.getRequestBody().getContent().get("application/json");
		return (json != null && json.getExamples() != null) ? json.getExamples() : Map.of();
	}

	private static Object parse(String json) {
		try {
			return Json31.mapper().readTree(json);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Invalid example " + json, ex);
		}
	}

	private static Map<String, String> answers(String... namesAndAnswers) {
		Map<String, String> answers = new LinkedHashMap<>();
		for (int i = 0; i < namesAndAnswers.length; i += 2) {
			answers.put(namesAndAnswers[i], namesAndAnswers[i + 1]);
		}
		return answers;
	}

}
