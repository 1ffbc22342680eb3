package io.softmaxservice.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import io.softmaxservice.crossentropy.CrossEntropyResponse;
import io.softmaxservice.gradient.SoftmaxGradResponse;
import io.softmaxservice.softmax.SoftmaxResponse;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.mock.http.MockHttpOutputMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JsonResponseConverter}: the answer's text is the streamed text of its tensors,
 * and it carries a {@code Content-Length} of exactly its bytes when it fits the writer's
 * buffer or has at least {@link JsonResponseConverter#LENGTH_FIRST_VALUES} values, for
 * float64, float32, non-finite values written as tokens or as null, and mirrored
 * Jacobians.
 */
class JsonResponseConverterTests {

	private static final MediaType NONFINITE_NULL = MediaType.parseMediaType("application/json;nonfinite=null");

	private final JsonResponseConverter converter = new JsonResponseConverter();

	@Test
	void largeFloat64AnswerHasItsLengthAndTheStreamedText() throws IOException {
		Tensor tensor = tensor(new int[] { 256, JsonResponseConverter.LENGTH_FIRST_VALUES / 256 }, DType.FLOAT64, 1);
		MockHttpOutputMessage message = write(new SoftmaxResponse(tensor, null), MediaType.APPLICATION_JSON);
		assertThat(message.getHeaders().getContentLength()).isEqualTo(message.getBodyAsBytes().length);
		assertThat(message.getBodyAsString(StandardCharsets.US_ASCII))
			.isEqualTo("{\"probabilities\":" + streamed(tensor, false) + "}");
	}

	@Test
	void largeFloat32AnswerHasItsLengthAndTheStreamedText() throws IOException {
		Tensor tensor = tensor(new int[] { JsonResponseConverter.LENGTH_FIRST_VALUES + 3 }, DType.FLOAT32, 2);
		MockHttpOutputMessage message = write(new SoftmaxResponse(null, tensor), MediaType.APPLICATION_JSON);
		assertThat(message.getHeaders().getContentLength()).isEqualTo(message.getBodyAsBytes().length);
		assertThat(message.getBodyAsString(StandardCharsets.US_ASCII))
			.isEqualTo("{\"log_probabilities\":" + streamed(tensor, false) + "}");
	}

	@Test
	void largeAnswerWithNonFiniteValuesHasTheLengthOfTheirTokensOrNulls() throws IOException {
		Tensor tensor = tensor(new int[] { 1024, JsonResponseConverter.LENGTH_FIRST_VALUES / 1024 }, DType.FLOAT64, 3);
		double[] values = tensor.values();
		for (int i = 0; i < values.length; i += 3) {
			values[i] = (i % 2 == 0) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
		}
		for (boolean nonFiniteAsNull : new boolean[] { false, true }) {
			MockHttpOutputMessage message = write(new SoftmaxResponse(null, tensor),
					nonFiniteAsNull ? NONFINITE_NULL : MediaType.APPLICATION_JSON);
			String expected = "{\"log_probabilities\":" + streamed(tensor, nonFiniteAsNull) + "}";
			assertThat(message.getHeaders().getContentLength()).isEqualTo(expected.length());
			assertThat(message.getBodyAsString(StandardCharsets.US_ASCII)).isEqualTo(expected);
		}
	}

	@Test
	void largeMirroredJacobianHasItsLengthAndTheStreamedText() throws IOException {
		int n = JsonTensorWriter.MAX_MIRRORED;
		int count = JsonResponseConverter.LENGTH_FIRST_VALUES / (n * n);
		Tensor tensor = tensor(new int[] { count, n, n }, DType.FLOAT64, 4);
		double[] values = tensor.values();
		for (int m = 0; m < count; m++) {
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < i; j++) {
					values[(m * n + i) * n + j] = values[(m * n + j) * n + i];
				}
			}
		}
		MockHttpOutputMessage message = write(new SoftmaxGradResponse(null, tensor), MediaType.APPLICATION_JSON);
		assertThat(message.getHeaders().getContentLength()).isEqualTo(message.getBodyAsBytes().length);
		assertThat(message.getBodyAsString(StandardCharsets.US_ASCII))
			.isEqualTo("{\"jacobian\":" + streamed(tensor, false) + "}");
	}

	@Test
	void answerLargerThanTheBufferWithFewerValuesStreamsWithoutLength() throws IOException {
		Tensor tensor = tensor(new int[] { 32, 1000 }, DType.FLOAT64, 5);
		MockHttpOutputMessage message = write(new SoftmaxResponse(tensor, null), MediaType.APPLICATION_JSON);
		assertThat(message.getHeaders().getContentLength()).isEqualTo(-1);
		assertThat(message.getBodyAsString(StandardCharsets.US_ASCII))
			.isEqualTo("{\"probabilities\":" + streamed(tensor, false) + "}");
	}

	@Test
	void answerEstimatedToFitTheBufferThatOverflowsItIsWrittenAgainWithItsLength() throws IOException {
		// Each value takes 24 bytes and its brackets and comma 3 more: one more than the
		// estimate's 26, so the text outgrows the buffer the estimate promised to fit.
		int n = (JsonTensorWriter.BUFFER_SIZE - 200) / 26;
		double[] values = new double[n];
		Arrays.fill(values, -Double.MIN_NORMAL);
		Tensor tensor = new Tensor(new int[] { n, 1 }, values, DType.FLOAT64);
		MockHttpOutputMessage message = write(new SoftmaxResponse(tensor, null), MediaType.APPLICATION_JSON);
		String expected = "{\"probabilities\":" + streamed(tensor, false) + "}";
		assertThat(expected.length()).isGreaterThan(JsonTensorWriter.BUFFER_SIZE);
		assertThat(message.getBodyAsString(StandardCharsets.US_ASCII)).isEqualTo(expected);
		assertThat(message.getHeaders().getContentLength()).isEqualTo(expected.length());
	}

	@Test
	void smallAnswerHasItsLength() throws IOException {
		Tensor loss = Tensor.scalar(0.4076059644443804);
		Tensor grad = Tensor.of(new int[] { 2, 2 }, 0.1, Double.NEGATIVE_INFINITY, -0.5, 1e-300);
		MockHttpOutputMessage message = write(new CrossEntropyResponse(loss, grad), NONFINITE_NULL);
		String expected = "{\"loss\":0.4076059644443804,\"grad_logits\":[[0.1,null],[-0.5,1.0E-300]]}";
		assertThat(message.getBodyAsString(StandardCharsets.US_ASCII)).isEqualTo(expected);
		assertThat(message.getHeaders().getContentLength()).isEqualTo(expected.length());
	}

	private MockHttpOutputMessage write(Object body, MediaType contentType) throws IOException {
		MockHttpOutputMessage message = new MockHttpOutputMessage();
		this.converter.write(body, contentType, message);
		return message;
	}

	/** The tensor's text as the writer streams it, as every answer was before. */
	private static String streamed(Tensor tensor, boolean nonFiniteAsNull) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		JsonTensorWriter writer = new JsonTensorWriter(out, nonFiniteAsNull, JsonTensorWriter.BUFFER_SIZE);
		writer.tensor(tensor);
		writer.flush();
		return out.toString(StandardCharsets.US_ASCII);
	}

	private static Tensor tensor(int[] shape, DType dtype, long seed) {
		Random random = new Random(seed);
		double[] values = new double[(int) Tensor.elementCount(shape)];
		for (int i = 0; i < values.length; i++) {
			double value = random.nextGaussian() * Math.pow(10, random.nextInt(40) - 30);
			values[i] = (dtype == DType.FLOAT32) ? (float) value : value;
		}
		return new Tensor(shape, values, dtype);
	}

}
