package io.softmaxservice.system;

import io.softmaxservice.ProblemAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Answers the contract settles where PyTorch or JSON leave a choice: {@code null} for an
 * optional field is the field absent (what Python's {@code None} sends), and a zero
 * probability target on a masked class contributes 0 where PyTorch gives NaN.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SettledDecisionsTests {

	@Autowired
	private MockMvcTester mvc;

	@Test
	void nullForAnOptionalFieldIsTheFieldAbsent() throws Exception {
		assertSameAnswer("/softmax", "{\"logits\": [1, 2, 3]}",
				"{\"logits\": [1, 2, 3], \"axis\": null, \"temperature\": null, \"log\": null, \"dtype\": null}");
		assertSameAnswer("/softmax/grad", "{\"logits\": [1, 2], \"grad_output\": [1, 0]}",
				"{\"logits\": [1, 2], \"grad_output\": [1, 0], \"probabilities\": null, \"log_probabilities\": null, "
						+ "\"mode\": null, \"axis\": null, \"temperature\": null, \"log\": null, \"dtype\": null}");
		assertSameAnswer("/cross-entropy", "{\"logits\": [[1, 2]], \"target\": [1]}",
				"{\"logits\": [[1, 2]], \"target\": [1], \"weight\": null, \"axis\": null, \"ignore_index\": null, "
						+ "\"reduction\": null, \"label_smoothing\": null, \"include_grad\": null, \"dtype\": null}");
	}

	@Test
	void zeroProbabilityTargetOnAMaskedClassContributesZero() {
		// PyTorch: 0 * log_softmax(-inf) = 0 * -inf = NaN; the service answers the limit,
		// 0.
		// loss = -(0.5 * log(1/2) + 0.5 * log(1/2)) = log 2; the masked class' gradient
		// is 0.
		MvcTestResult result = post("/cross-entropy",
				"{\"logits\": [0, 0, -Infinity], " + "\"target\": [0.5, 0.5, 0], \"include_grad\": true}");
		assertThat(result).hasStatusOk();
		JsonNode answer = ProblemAssertions.body(result);
		assertThat(answer.get("loss").asDouble()).isCloseTo(Math.log(2), within(1e-15));
		assertThat(answer.get("grad_logits").toString()).isEqualTo("[0.0,0.0,0.0]");
	}

	private void assertSameAnswer(String endpoint, String body, String withNulls) throws Exception {
		MvcTestResult expected = post(endpoint, body);
		assertThat(expected).hasStatusOk();
		assertThat(post(endpoint, withNulls)).hasStatusOk()
			.bodyText()
			.isEqualTo(expected.getResponse().getContentAsString());
	}

	private MvcTestResult post(String endpoint, String body) {
		return this.mvc.post().uri(endpoint).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

}
