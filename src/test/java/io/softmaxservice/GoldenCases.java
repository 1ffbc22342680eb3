package io.softmaxservice;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Golden cases generated with PyTorch by the scripts in {@code src/test/python}: each a
 * request body and the response the contract expects.
 */
public final class GoldenCases {

	/** Reads and writes JSON as the service does: NaN and infinities as bare tokens. */
	public static final JsonMapper JSON = JsonMapper.builder()
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
		.build();

	private GoldenCases() {
	}

	/**
	 * The cases of one fixture file.
	 * @param name the file under {@code golden/}, e.g. {@code softmax.json}
	 * @return the cases in file order
	 */
	public static List<GoldenCase> load(String name) {
		try (InputStream in = GoldenCases.class.getResourceAsStream("/golden/" + name)) {
			if (in == null) {
				throw new IllegalStateException("No fixture golden/" + name);
			}
			List<GoldenCase> cases = new ArrayList<>();
			for (JsonNode node : JSON.readTree(in).get("cases")) {
				cases.add(new GoldenCase(node.get("name").asString(), node.get("request"), node.get("response")));
			}
			return cases;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One golden case.
	 *
	 * @param name what it covers
	 * @param request the request body
	 * @param response the expected response body
	 */
	public record GoldenCase(String name, JsonNode request, JsonNode response) {

		public String requestJson() {
			return JSON.writeValueAsString(this.request);
		}

		public String dtype() {
			return this.request.has("dtype") ? this.request.get("dtype").asString() : "float64";
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
