package io.softmaxservice.gradient;

import java.util.List;

import io.softmaxservice.ContractTolerance;
import io.softmaxservice.GoldenCases;
import io.softmaxservice.GoldenCases.GoldenCase;
import io.softmaxservice.KernelPath;
import io.softmaxservice.softmax.SoftmaxKernel;
import io.softmaxservice.system.TensorElementsMetrics;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/**
 * Every golden case of {@code POST /softmax/grad} (PyTorch autograd), answered once by
 * the plain-Java kernels and once by ND4J, so that the two paths can never disagree.
 */
@WebMvcTest(SoftmaxGradController.class)
@Import({ SoftmaxGradValidator.class, SoftmaxGradKernel.class, SoftmaxKernel.class, TensorElementsMetrics.class })
class SoftmaxGradGoldenTests {

	static List<GoldenCase> golden() {
		return GoldenCases.load("softmax_grad.json");
	}

	static void assertAnswers(MockMvcTester mvc, GoldenCase golden) {
		ContractTolerance.assertAnswers(mvc.post()
			.uri("/softmax/grad")
			.contentType(MediaType.APPLICATION_JSON)
			.content(golden.requestJson())
			.exchange(), golden);
	}

	@Nested
	@TestPropertySource(properties = KernelPath.PLAIN_JAVA_PROPERTY)
	class PlainJava {

		@Autowired
		private MockMvcTester mvc;

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.softmaxservice.gradient.SoftmaxGradGoldenTests#golden")
		void gradMatchesPyTorchAutograd(GoldenCase golden) {
			assertAnswers(this.mvc, golden);
		}

	}

	@Nested
	@TestPropertySource(properties = KernelPath.ND4J_PROPERTY)
	class Nd4j {

		@Autowired
		private MockMvcTester mvc;

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.softmaxservice.gradient.SoftmaxGradGoldenTests#golden")
		void gradMatchesPyTorchAutograd(GoldenCase golden) {
			assertAnswers(this.mvc, golden);
		}

	}

}
