package io.softmaxservice.numpy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.softmaxservice.numpy.NpyHeader.Kind;
import io.softmaxservice.numpy.NpzReader.Member;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reads the archives {@code numpy.savez} and {@code numpy.savez_compressed} wrote,
 * refuses the ones that break the rules, and writes archives other zip readers read.
 */
class NpzArchiveTests {

	private static final long LIMIT = 8L * 4_194_304 + 65_547;

	@Test
	void readsSavez() {
		Map<String, Member> members = NpzReader.read(NumpyFixtures.bytes("savez.npz"), LIMIT);
		assertThat(members).containsOnlyKeys("logits", "target");
		Tensor logits = read(members.get("logits"));
		assertThat(logits.shape()).containsExactly(4, 5);
		assertThat(logits.values())
			.containsExactly(NumpyFixtures.values(NumpyFixtures.EXPECTED.get("savez.npz").get("logits")));
		assertThat(read(members.get("target")).values()).containsExactly(0, 4, 2, 1);
	}

	@Test
	void readsSavezCompressed() {
		Map<String, Member> members = NpzReader.read(NumpyFixtures.bytes("savez_compressed.npz"), LIMIT);
		Tensor logits = read(members.get("logits"));
		assertThat(logits.dtype()).isEqualTo(DType.FLOAT32);
		assertThat(logits.values())
			.containsExactly(NumpyFixtures.values(NumpyFixtures.EXPECTED.get("savez_compressed.npz").get("logits")));
	}

	@Test
	void readsMembersNamedWithoutNpy() {
		assertThat(NpzReader.read(NumpyFixtures.bytes("bare_names.npz"), LIMIT)).containsOnlyKeys("logits", "target");
	}

	@Test
	void refusesMemberWithAPath() {
		assertRefused("path.npz", "/dir~1logits", "has a path");
	}

	@Test
	void refusesTheSameMemberTwice() {
		assertRefused("duplicate.npz", "/logits", "twice");
	}

	@Test
	void refusesZipBombFromItsDeclaredSizeBeforeInflating() {
		assertThatExceptionOfType(InputTooLargeException.class)
			.isThrownBy(() -> NpzReader.read(NumpyFixtures.bytes("bomb.npz"), LIMIT))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"))
			.satisfies((ex) -> assertThat(ex.detail()).contains("inflates to 40000128 bytes"));
	}

	@Test
	void refusesMemberThatInflatesToMoreThanItDeclares() {
		byte[] zip = NumpyFixtures.bytes("savez_compressed.npz");
		int central = centralHeader(zip, 0);
		ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(central + 24, 100);
		Member logits = NpzReader.read(zip, LIMIT).get("logits");
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read(logits))
			.satisfies((ex) -> assertThat(ex.detail()).contains("does not inflate to its declared size"));
	}

	@Test
	void refusesEncryptedMember() {
		byte[] zip = NumpyFixtures.bytes("savez.npz");
		int central = centralHeader(zip, 0);
		zip[central + 8] |= 1;
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> NpzReader.read(zip, LIMIT))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"))
			.satisfies((ex) -> assertThat(ex.detail()).contains("encrypted"));
	}

	@Test
	void refusesDamagedData() {
		byte[] zip = NumpyFixtures.bytes("savez.npz");
		zip[200] ^= 0x55;
		Member logits = NpzReader.read(zip, LIMIT).get("logits");
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read(logits))
			.satisfies((ex) -> assertThat(ex.detail()).contains("CRC-32"));
	}

	@Test
	void refusesDamagedDataAsDamagedWhereItAlsoBreaksARule() {
		byte[] zip = NumpyFixtures.bytes("savez.npz");
		int header = new String(zip, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("{'descr'");
		zip[header] = '[';
		Member logits = NpzReader.read(zip, LIMIT).get("logits");
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read(logits))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"))
			.satisfies((ex) -> assertThat(ex.detail()).contains("CRC-32"));
	}

	@Test
	void refusesEveryTruncationWithoutAnInternalError() {
		byte[] zip = NumpyFixtures.bytes("savez_compressed.npz");
		for (int length = 0; length < zip.length; length++) {
			byte[] truncated = java.util.Arrays.copyOf(zip, length);
			assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> {
				for (Member member : NpzReader.read(truncated, LIMIT).values()) {
					read(member);
				}
				throw new IllegalStateException("read a truncated archive");
			});
		}
	}

	@Test
	void writesArchivesThatJavasZipReaderReads() throws IOException {
		Tensor probabilities = new Tensor(new int[] { 2, 2 }, new double[] { 0.25, 0.75, 0.5, 0.5 }, DType.FLOAT32);
		Map<String, Tensor> tensors = new LinkedHashMap<>();
		tensors.put("loss", Tensor.scalar(2.5));
		tensors.put("grad_logits", probabilities);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		NpzWriter.write(tensors, out);
		assertThat(out.size()).isEqualTo(NpzWriter.size(tensors));
		try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
			ZipEntry loss = zip.getNextEntry();
			assertThat(loss.getName()).isEqualTo("loss.npy");
			assertThat(loss.getMethod()).isEqualTo(ZipEntry.STORED);
			assertThat(zip.readAllBytes()).isEqualTo(NumpyFixtures.bytes("f8_0d.npy"));
			assertThat(zip.getNextEntry().getName()).isEqualTo("grad_logits.npy");
			ByteArrayOutputStream npy = new ByteArrayOutputStream();
			NpyWriter.write(probabilities, npy);
			assertThat(zip.readAllBytes()).isEqualTo(npy.toByteArray());
			assertThat(zip.getNextEntry()).isNull();
		}
		Map<String, Member> members = NpzReader.read(out.toByteArray(), LIMIT);
		assertThat(read(members.get("grad_logits")).values()).containsExactly(probabilities.values());
	}

	private static void assertRefused(String name, String pointer, String detail) {
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> NpzReader.read(NumpyFixtures.bytes(name), LIMIT))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo(pointer))
			.satisfies((ex) -> assertThat(ex.detail()).contains(detail));
	}

	private static Tensor read(Member member) {
		return member.read((content, crc) -> NpyReader.read(content, "/" + member.name(), EnumSet.allOf(Kind.class),
				4_194_304, crc));
	}

	/** The offset of the n-th central directory header. */
	private static int centralHeader(byte[] zip, int n) {
		int found = 0;
		for (int at = 0; at + 4 <= zip.length; at++) {
			if (zip[at] == 'P' && zip[at + 1] == 'K' && zip[at + 2] == 1 && zip[at + 3] == 2 && found++ == n) {
				return at;
			}
		}
		throw new IllegalStateException("No central header " + n);
	}

}
