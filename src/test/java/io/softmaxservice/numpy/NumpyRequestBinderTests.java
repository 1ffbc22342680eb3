package io.softmaxservice.numpy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import io.softmaxservice.crossentropy.CrossEntropyRequest;
import io.softmaxservice.softmax.SoftmaxRequest;
import io.softmaxservice.numpy.NpzReader.Member;
import io.softmaxservice.tensor.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link NumpyRequestBinder} says how much a compressed archive inflates to once its
 * directory is checked and before it inflates any member, so that the caller can make
 * room for it (or refuse it); stored archives, whose arrays are read in place, and
 * archives refused for their names are not reported.
 */
class NumpyRequestBinderTests {

	private final List<Long> reported = new ArrayList<>();

	private final NumpyRequestBinder binder = new NumpyRequestBinder(4_194_304, this.reported::add);

	@Test
	void compressedArchiveReportsTheSizeOfItsMembersBeforeBinding() {
		byte[] zip = NumpyFixtures.bytes("savez_compressed.npz");
		long inflated = 0;
		for (Member member : NpzReader.read(zip, this.binder.maxMemberBytes()).values()) {
			assertThat(member.deflated()).isTrue();
			inflated += member.size();
		}
		CrossEntropyRequest request = (CrossEntropyRequest) this.binder.bindArchive(CrossEntropyRequest.class, zip,
				null, false);
		assertThat(request.logits()).isNotNull();
		// Then, before its 4 int64 targets are widened into doubles, that and 32 bytes.
		assertThat(this.reported).containsExactly(inflated, inflated + 32);
	}

	@Test
	void compressedArchiveIsReportedBeforeAnyMemberIsInflated() {
		byte[] zip = NumpyFixtures.bytes("savez_compressed.npz");
		ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(firstCentralHeader(zip) + 24, 100);
		NumpyRequestBinder refusing = new NumpyRequestBinder(4_194_304, (bytes) -> {
			throw new IllegalStateException("no room for " + bytes);
		});
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> refusing.bindArchive(CrossEntropyRequest.class, zip, null, false))
			.withMessageStartingWith("no room for ");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> this.binder.bindArchive(CrossEntropyRequest.class, zip, null, false))
			.satisfies((ex) -> assertThat(ex.detail()).contains("does not inflate to its declared size"));
	}

	@Test
	void storedArchiveReportsOnlyTheArraysWidenedIntoDoubles() {
		// float64 logits are kept as read; 4 int64 targets become 32 bytes of doubles.
		this.binder.bindArchive(CrossEntropyRequest.class, NumpyFixtures.bytes("savez.npz"), null, false);
		assertThat(this.reported).containsExactly(32L);
	}

	@Test
	void float16AndFortranOrderedArraysReportTheirDoublesBeforeTheyAreRead() {
		byte[] half = NpyReaderTests.npy("<f2", "(2, 3)", 0x3C00, 0x3C00, 0x3C00, 0x3C00, 0x3C00, 0x3C00);
		this.binder.bindArray(SoftmaxRequest.class, half, null, false);
		assertThat(this.reported).containsExactly(48L);
		NumpyRequestBinder refusing = new NumpyRequestBinder(4_194_304, (bytes) -> {
			throw new IllegalStateException("no room for " + bytes);
		});
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> refusing.bindArray(SoftmaxRequest.class, half, null, false))
			.withMessage("no room for 48");
		byte[] fortran = NpyReaderTests.withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 1), }",
				new byte[16]);
		this.reported.clear();
		this.binder.bindArray(SoftmaxRequest.class, fortran, null, false);
		assertThat(this.reported).as("read, then reordered").containsExactly(32L);
	}

	@Test
	void archiveRefusedForAMemberNameIsNotReported() {
		byte[] zip = NumpyFixtures.bytes("savez_compressed.npz");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> this.binder.bindArchive(CrossEntropyRequest.class, zip, "nope=1", false))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/nope"));
		assertThat(this.reported).isEmpty();
	}

	private static int firstCentralHeader(byte[] zip) {
		ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
		for (int at = 0; at + 4 <= zip.length; at++) {
			if (buffer.getInt(at) == 0x02014b50) {
				return at;
			}
		}
		throw new IllegalArgumentException("no central directory");
	}

}
