package io.softmaxservice.system;

import java.io.IOException;
import java.time.Duration;

import io.softmaxservice.tensor.LargeArrays;
import io.softmaxservice.tensor.TensorLimits;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * {@link RequestBodyFilter}: a large body takes its share of the work budget as it is
 * read, a small one does not, and whatever share and large arrays a request took go back
 * when it ends.
 */
class RequestBodyFilterTests {

	private final SoftmaxProperties properties = new SoftmaxProperties(new TensorLimits(DataSize.ofMegabytes(64), 1000),
			new SoftmaxProperties.Load(DataSize.ofMegabytes(32), Duration.ofMillis(10), Duration.ofSeconds(1), 0),
			new SoftmaxProperties.Upload(Duration.ofSeconds(60), DataSize.ofBytes(1)));

	private final ComputeSlots slots = new ComputeSlots(this.properties, new ComputeTurns(1));

	private final LargeArrays arrays = new LargeArrays();

	private final RequestBodyFilter filter = new RequestBodyFilter(this.properties, DataSize.ofMegabytes(2), this.slots,
			this.arrays);

	@Test
	void largeBodyTakesItsShareWhileItIsReadAndGivesItBackWhenTheRequestEnds() throws ServletException, IOException {
		long[] heldAfterReading = { -1 };
		this.filter.doFilter(post(3_000_000), new MockHttpServletResponse(), (request, response) -> {
			assertThat(request.getInputStream().readAllBytes()).hasSize(3_000_000);
			heldAfterReading[0] = this.slots.inFlight();
		});
		assertThat(heldAfterReading[0]).isEqualTo(3_000_000);
		assertThat(this.slots.inFlight()).isZero();
	}

	@Test
	void smallBodyTakesNoShareWhileItIsRead() throws ServletException, IOException {
		long[] heldAfterReading = { -1 };
		this.filter.doFilter(post(100_000), new MockHttpServletResponse(), (request, response) -> {
			request.getInputStream().readAllBytes();
			heldAfterReading[0] = this.slots.inFlight();
			this.slots.acquire((HttpServletRequest) request);
		});
		assertThat(heldAfterReading[0]).isZero();
		assertThat(this.slots.inFlight()).isZero();
	}

	@Test
	void largeArraysTakenWhileTheRequestIsHandledComeBackWhenItEnds() throws ServletException, IOException {
		double[][] taken = new double[1][];
		this.filter.doFilter(post(100), new MockHttpServletResponse(),
				(request, response) -> taken[0] = this.arrays.take(LargeArrays.MIN_LENGTH));
		assertThat(this.arrays.take(LargeArrays.MIN_LENGTH)).isSameAs(taken[0]);
	}

	@Test
	void largeArraysTakenByARequestThatFailsComeBackWhenItEnds() {
		double[][] taken = new double[1][];
		assertThatIOException()
			.isThrownBy(() -> this.filter.doFilter(post(100), new MockHttpServletResponse(), (request, response) -> {
				taken[0] = this.arrays.take(LargeArrays.MIN_LENGTH);
				throw new IOException("client went away");
			}))
			.withMessage("client went away");
		assertThat(this.arrays.take(LargeArrays.MIN_LENGTH)).isSameAs(taken[0]);
	}

	private static MockHttpServletRequest post(int bodyBytes) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/softmax");
		request.setContentType("application/x-npz");
		request.setContent(new byte[bodyBytes]);
		return request;
	}

}
