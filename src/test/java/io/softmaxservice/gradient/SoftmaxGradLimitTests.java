package io.softmaxservice.gradient;

import io.softmaxservice.ProblemAssertions;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.system.TensorElementsMetrics;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The element limit on a Jacobian, with a limit of 18 elements: the Jacobian of two rows
 * of three classes has exactly 2 * 3 * 3 = 18.
 */
@WebMvcTest(SoftmaxGradController.class)
@Import({ SoftmaxGradValidator.class, SoftmaxGradKernel.class, SoftmaxKernel.class, TensorElementsMetrics.class })
@TestPropertySource(properties = "softmax.limits.max-elements=18")
class SoftmaxGradLimitTests {

	@Autowired
	private MockMvcTester mvc;

	@Test
	void gradJacobianExactlyAtLimitIsAccepted() {
		MvcTestResult result = post("{\"logits\": [[1, 2, 3], [4, 5, 6]], \"mode\": \"jacobian\"}");
		assertThat(result).hasStatusOk();
	}

	@Test
	void gradJacobianOverLimitReturns413AtMode() {
		MvcTestResult result = post("{\"logits\": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], \"mode\": \"jacobian\"}");
		ProblemAssertions.assertProblem(result, 413, "/mode", "too-large");
	}

	@Test
	void gradJacobianOverLimitReturns413BeforeCheckingValues() {
		// The probabilities are invalid, but the size is refused first, before any work.
		MvcTestResult result = post("{\"probabilities\": [[2, 2, 2], [2, 2, 2], [2, 2, 2]], \"mode\": \"jacobian\"}");
		ProblemAssertions.assertProblem(result, 413, "/mode", "too-large");
	}

	@Test
	void gradVjpAtLimitIsAccepted() {
		MvcTestResult result = post("{\"logits\": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "
				+ "\"grad_output\": [[1, 2, 3], [4, 5, 6], [7, 8, 9]]}");
		assertThat(result).hasStatusOk();
	}

	@Test
	void gradWhenGradOutputIsOverLimitReturns413() {
		MvcTestResult result = post("{\"logits\": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "
				+ "\"grad_output\": [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 3], [4, 5, 6], [7, 8, 9], [0, 0, 0]]}");
		ProblemAssertions.assertProblem(result, 413, "/grad_output", "too-large");
	}

	private MvcTestResult post(String body) {
		return this.mvc.post().uri("/softmax/grad").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

}
