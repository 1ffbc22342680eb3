package io.softmaxservice.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.DelegatingServletInputStream;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link BodyInputStream} takes the request's share of the work budget ahead of the bytes
 * that arrive (never more than twice them, or a mebibyte more, and at most the declared
 * length), not at all for small bodies, and turns a refused share into a 503 the message
 * converters carry as their read failure.
 */
class BodyInputStreamTests {

	private static final SoftmaxProperties.Upload UPLOAD = new SoftmaxProperties.Upload(Duration.ofSeconds(60),
			DataSize.ofBytes(1));

	@Test
	void largeBodyReservesAheadOfWhatArrivedUpToItsLength() throws IOException {
		int length = 5 * 1024 * 1024;
		List<long[]> reservations = new ArrayList<>();
		long[] count = { 0 };
		BodyInputStream body = body(length, length, (bytes) -> reservations.add(new long[] { count[0], bytes }));
		byte[] buffer = new byte[64 * 1024];
		int n;
		while ((n = body.read(buffer, 0, buffer.length)) > 0) {
			count[0] += n;
		}
		assertThat(count[0]).isEqualTo(length);
		assertThat(reservations).isNotEmpty();
		for (long[] reservation : reservations) {
			long arrived = reservation[0] + buffer.length;
			assertThat(reservation[1]).isGreaterThanOrEqualTo(arrived)
				.isLessThanOrEqualTo(Math.max(2 * arrived, arrived + 1024 * 1024));
		}
		assertThat(reservations.get(0)[0]).isEqualTo(BodyInputStream.UNRESERVED_BYTES);
		assertThat(reservations.get(reservations.size() - 1)[1]).isEqualTo(length);
	}

	@Test
	void smallBodyReservesNothing() throws IOException {
		List<Long> reservations = new ArrayList<>();
		int length = (int) BodyInputStream.UNRESERVED_BYTES;
		assertThat(body(length, length, reservations::add).readAllBytes()).hasSize(length);
		assertThat(reservations).isEmpty();
	}

	@Test
	void bodyOfUnknownLengthReservesTwiceWhatArrived() throws IOException {
		List<Long> reservations = new ArrayList<>();
		BodyInputStream body = body(3 * 1024 * 1024, -1, reservations::add);
		assertThat(body.readAllBytes()).hasSize(3 * 1024 * 1024);
		assertThat(reservations).last()
			.satisfies(
					(last) -> assertThat(last).isGreaterThan(3L * 1024 * 1024).isLessThanOrEqualTo(6L * 1024 * 1024));
	}

	@Test
	void refusedShareIsA503ThatAbandonsTheBody() {
		ServiceOverloadedException busy = new ServiceOverloadedException(Duration.ofSeconds(3));
		BodyInputStream body = body(1024 * 1024, 1024 * 1024, (bytes) -> {
			throw busy;
		});
		assertThatExceptionOfType(BodyRejectedException.class).isThrownBy(body::readAllBytes)
			.satisfies((ex) -> assertThat(ex.type()).isEqualTo(ProblemType.OVERLOADED))
			.satisfies((ex) -> assertThat(ex.abandonsBody()).isTrue())
			.withMessage(busy.getMessage());
	}

	private static BodyInputStream body(int size, long declared, LongConsumer reserve) {
		DelegatingServletInputStream in = new DelegatingServletInputStream(new ByteArrayInputStream(new byte[size])) {

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				return getSourceStream().read(buffer, offset, Math.min(length, 64 * 1024));
			}

		};
		return new BodyInputStream(in, 64L << 20, UPLOAD, System.nanoTime(), false, declared, reserve);
	}

}
