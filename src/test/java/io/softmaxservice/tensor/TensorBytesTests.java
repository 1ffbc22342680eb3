package io.softmaxservice.tensor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw float16, float32 and float64 bytes to doubles and back, chunk by chunk: tensors
 * larger than a chunk (32 KiB) and of odd lengths must convert exactly as element by
 * element, with the checksum of every byte and the first NaN wherever it is.
 */
class TensorBytesTests {

	/** Elements of a float64 tensor that spans four chunks and ends inside a fifth. */
	private static final int LARGE = 4 * 4096 + 1234;

	@ParameterizedTest
	@CsvSource({ "8, LITTLE_ENDIAN", "8, BIG_ENDIAN", "4, LITTLE_ENDIAN", "4, BIG_ENDIAN" })
	void readFloatsConvertsEveryChunkInEitherByteOrder(int width, String order) {
		double[] expected = randomValues(LARGE, width == 4);
		ByteBuffer bytes = encode(expected, width, byteOrder(order));
		double[] values = new double[LARGE];
		CRC32 crc = new CRC32();
		assertThat(TensorBytes.readFloats(bytes, width, values, crc)).isEqualTo(-1);
		assertThat(values).containsExactly(expected);
		assertThat(crc.getValue()).isEqualTo(crcOf(bytes));
	}

	@ParameterizedTest
	@CsvSource({ "0x3C00, 1.0", "0xC000, -2.0", "0x7BFF, 65504.0", "0x3555, 0.33325195", "0x0001, 5.9604645E-8",
			"0x8000, -0.0", "0x7C00, Infinity", "0xFC00, -Infinity" })
	void readFloatsConvertsFloat16Exactly(String bits, float value) {
		ByteBuffer bytes = ByteBuffer.allocate(2).order(ByteOrder.BIG_ENDIAN);
		bytes.putShort((short) Integer.parseInt(bits.substring(2), 16)).flip();
		double[] values = new double[1];
		assertThat(TensorBytes.readFloats(bytes, 2, values, null)).isEqualTo(-1);
		assertThat(values).containsExactly(value);
	}

	@Test
	void readFloatsConvertsEveryFloat16AsItsDefinitionSays() {
		ByteBuffer bytes = ByteBuffer.allocate(2 << 16).order(ByteOrder.LITTLE_ENDIAN);
		for (int bits = 0; bits < (1 << 16); bits++) {
			bytes.putShort((short) bits);
		}
		bytes.flip();
		double[] values = new double[1 << 16];
		TensorBytes.readFloats(bytes, 2, values, null);
		for (int bits = 0; bits < (1 << 16); bits++) {
			int exponent = (bits >> 10) & 0x1f;
			int fraction = bits & 0x3ff;
			double sign = ((bits & 0x8000) != 0) ? -1 : 1;
			// (-1)^sign × 2^(exponent - 15) × 1.fraction, or 2^-14 × 0.fraction when
			// subnormal; all ones is infinity or NaN.
			double expected = (exponent == 0x1f) ? ((fraction == 0) ? sign * Double.POSITIVE_INFINITY : Double.NaN)
					: (exponent == 0) ? sign * Math.scalb(fraction / 1024.0, -14)
							: sign * Math.scalb(1 + fraction / 1024.0, exponent - 15);
			// Bits of doubles: -0.0 is not 0.0, and every NaN is the same NaN. Both the
			// table (built once, when the class is loaded) and the conversion it is built
			// with, which mutation testing can change only when called.
			assertThat(Double.doubleToLongBits(values[bits])).as("0x%04x", bits)
				.isEqualTo(Double.doubleToLongBits(expected));
			assertThat(Double.doubleToLongBits(TensorBytes.Float16.toFloat(bits))).as("0x%04x", bits)
				.isEqualTo(Double.doubleToLongBits(expected));
		}
	}

	@ParameterizedTest
	@CsvSource({ "8, 0", "8, 9000", "8, 17617", "4, 17000", "2, 16383", "2, 16384" })
	void readFloatsFindsTheFirstNaNAndStillChecksumsEveryByte(int width, int at) {
		double[] expected = randomValues(LARGE, width < 8);
		if (width == 2) {
			java.util.Arrays.fill(expected, 0.5);
		}
		expected[at] = Double.NaN;
		expected[LARGE - 1] = Double.NaN;
		ByteBuffer bytes = encode(expected, width, ByteOrder.LITTLE_ENDIAN);
		CRC32 crc = new CRC32();
		assertThat(TensorBytes.readFloats(bytes, width, new double[LARGE], crc)).isEqualTo(at);
		assertThat(crc.getValue()).isEqualTo(crcOf(bytes));
	}

	@ParameterizedTest
	@CsvSource({ "8, LITTLE_ENDIAN", "8, BIG_ENDIAN", "4, LITTLE_ENDIAN", "4, BIG_ENDIAN", "2, LITTLE_ENDIAN" })
	void checkFloatsFindsTheFirstOfEachInfinityAndChecksumsEveryByte(int width, String order) {
		double[] values = randomValues(LARGE, width < 8);
		if (width == 2) {
			java.util.Arrays.fill(values, 0.5);
		}
		// In a later chunk; the float32 +Infinity second in its pair, -Infinity first.
		values[9001] = Double.POSITIVE_INFINITY;
		values[9002] = Double.NEGATIVE_INFINITY;
		values[LARGE - 2] = Double.POSITIVE_INFINITY;
		ByteBuffer bytes = encode(values, width, byteOrder(order));
		CRC32 crc = new CRC32();
		TensorBytes.NonFinite found = TensorBytes.checkFloats(bytes, width, crc);
		assertThat(found).isEqualTo(new TensorBytes.NonFinite(-1, 9001, (width == 2) ? 9002 : 1));
		assertThat(crc.getValue()).isEqualTo(crcOf(bytes));
	}

	@ParameterizedTest
	@CsvSource({ "8, 0", "8, 8191", "4, 8191", "4, 8192", "4, 17617", "4, 17618", "2, 16384" })
	void checkFloatsFindsTheFirstNaNWhereverItIsAndStillChecksumsEveryByte(int width, int at) {
		double[] values = new double[LARGE + 1];
		java.util.Arrays.fill(values, 0.5);
		values[at] = Double.NaN;
		values[LARGE] = Double.NaN;
		ByteBuffer bytes = encode(values, width, ByteOrder.nativeOrder());
		CRC32 crc = new CRC32();
		assertThat(TensorBytes.checkFloats(bytes, width, crc).firstNaN()).isEqualTo(at);
		assertThat(crc.getValue()).isEqualTo(crcOf(bytes));
	}

	/** Large finite values whose exponent is all ones but one bit, and a float32 tail. */
	@ParameterizedTest
	@CsvSource({ "8, 1.7976931348623157E308", "8, -1.7976931348623157E308", "4, 3.4028235E38", "4, -3.4028235E38",
			"8, 4.9E-324", "4, 1.4E-45" })
	void checkFloatsTakesTheLargestAndSmallestNumbersForFinite(int width, double value) {
		double[] values = new double[7];
		java.util.Arrays.fill(values, value);
		assertThat(TensorBytes.checkFloats(encode(values, width, ByteOrder.nativeOrder()), width, null))
			.isEqualTo(new TensorBytes.NonFinite(-1, -1, -1));
		values[6] = Double.POSITIVE_INFINITY;
		assertThat(TensorBytes.checkFloats(encode(values, width, ByteOrder.nativeOrder()), width, null))
			.isEqualTo(new TensorBytes.NonFinite(-1, 6, -1));
	}

	@Test
	void checkFloatsReportsNoInfinityAfterTheFirstNaN() {
		ByteBuffer bytes = encode(new double[] { Double.NEGATIVE_INFINITY, Double.NaN, Double.POSITIVE_INFINITY }, 8,
				ByteOrder.nativeOrder());
		assertThat(TensorBytes.checkFloats(bytes, 8, null)).isEqualTo(new TensorBytes.NonFinite(1, -1, 0));
	}

	@Test
	void readFloatsReadsFromTheBuffersPositionNotItsStart() {
		ByteBuffer bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
		bytes.putInt(7).putDouble(1.5).putDouble(-2.25).position(4);
		double[] values = new double[2];
		TensorBytes.readFloats(bytes, 8, values, null);
		assertThat(values).containsExactly(1.5, -2.25);
	}

	@ParameterizedTest
	@CsvSource({ "false, 8", "true, 4" })
	void writeFloatsWritesLittleEndianBytesAndTheirChecksum(boolean float32, int width) throws IOException {
		double[] values = randomValues(LARGE, false);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		CRC32 crc = new CRC32();
		TensorBytes.writeFloats(values, float32, out, crc);
		ByteBuffer written = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(written.remaining()).isEqualTo(LARGE * width);
		for (int i = 0; i < LARGE; i++) {
			double value = float32 ? written.getFloat(4 * i) : written.getDouble(8 * i);
			assertThat(value).isEqualTo(float32 ? (float) values[i] : values[i]);
		}
		assertThat(crc.getValue()).isEqualTo(crcOf(written));
	}

	@Test
	void writeFloatsRoundsToNearestFloatAndKeepsInfinities() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		TensorBytes.writeFloats(new double[] { 0.1, Double.NEGATIVE_INFINITY, 1e300 }, true, out, null);
		ByteBuffer written = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(written.getFloat(0)).isEqualTo(0.1f);
		assertThat(written.getFloat(4)).isEqualTo(Float.NEGATIVE_INFINITY);
		assertThat(written.getFloat(8)).isEqualTo(Float.POSITIVE_INFINITY);
	}

	@Test
	void writeFloatsOfAScalarWritesOneValue() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		TensorBytes.writeFloats(new double[] { -0.0 }, false, out, null);
		assertThat(ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getDouble()).isEqualTo(-0.0);
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 100_000, 3_000_000 })
	void readBodyReadsTheDeclaredLengthFromAStreamThatGivesFewBytesAtATime(int length) throws IOException {
		byte[] body = new byte[length];
		new Random(3).nextBytes(body);
		assertThat(TensorBytes.readBody(new Trickle(body), body.length)).isEqualTo(body);
	}

	@Test
	void readBodyReturnsWhatArrivedWhenTheBodyEndsEarly() throws IOException {
		assertThat(TensorBytes.readBody(new Trickle(new byte[] { 1, 2, 3 }), 10)).containsExactly(1, 2, 3);
	}

	@Test
	void readBodyHoldsLittleForAClientThatDeclaresMuchAndSendsLittle() throws IOException {
		int[] largest = { 0 };
		InputStream few = new Trickle(new byte[10]) {

			@Override
			public int read(byte[] buffer, int offset, int length) {
				largest[0] = Math.max(largest[0], buffer.length);
				return super.read(buffer, offset, length);
			}

		};
		assertThat(TensorBytes.readBody(few, 64L << 20)).hasSize(10);
		assertThat(largest[0]).isEqualTo(TensorBytes.FIRST_BODY_BYTES);
	}

	@Test
	void roomGrowsToFourTimesWhatArrivedUpToTheDeclaredLength() {
		int first = TensorBytes.FIRST_BODY_BYTES;
		assertThat(TensorBytes.room(new byte[0], 0, 64L << 20, 0)).hasSize(first);
		assertThat(TensorBytes.room(new byte[0], 0, 100, 0)).hasSize(100);
		assertThat(TensorBytes.room(new byte[first], first, 64L << 20, 0)).hasSize(4 * first);
		assertThat(TensorBytes.room(new byte[4 * first], 4 * first, 5L * first, 0)).hasSize(5 * first);
		byte[] partly = { 1, 2, 3, 0 };
		assertThat(TensorBytes.room(partly, 3, 1000, 0)).isSameAs(partly);
		assertThat(TensorBytes.room(partly, 4, 4, 0)).isSameAs(partly);
		assertThat(TensorBytes.room(partly, 4, 1000, 0)).hasSize(1000).startsWith(1, 2, 3, 0);
		assertThat(TensorBytes.room(partly, 4, 64L << 20, 0)).hasSize(first);
	}

	@Test
	void roomMakesRoomForWhatCanBeReadAtOnce() {
		assertThat(TensorBytes.room(new byte[0], 0, 64L << 20, 3_000_000)).hasSize(3_000_000);
		assertThat(TensorBytes.room(new byte[0], 0, 2_000_000, 3_000_000)).hasSize(2_000_000);
		assertThat(TensorBytes.room(new byte[0], 0, 64L << 20, 10)).hasSize(TensorBytes.FIRST_BODY_BYTES);
	}

	@Test
	void readBodyOfABodyAlreadyInMemoryReadsItIntoOneArray() throws IOException {
		byte[] body = new byte[3_000_000];
		new Random(5).nextBytes(body);
		Set<byte[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
		InputStream replay = new ByteArrayInputStream(body) {

			@Override
			public synchronized int read(byte[] buffer, int offset, int length) {
				arrays.add(buffer);
				return super.read(buffer, offset, length);
			}

		};
		assertThat(TensorBytes.readBody(replay, body.length)).isEqualTo(body);
		assertThat(arrays).hasSize(1);
	}

	@Test
	void readBodyOfUnknownLengthReadsToTheEnd() throws IOException {
		assertThat(TensorBytes.readBody(new Trickle(new byte[] { 4, 5 }), -1)).containsExactly(4, 5);
	}

	private static double[] randomValues(int count, boolean float32) {
		Random random = new Random(7);
		double[] values = new double[count];
		for (int i = 0; i < count; i++) {
			double value = random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
			values[i] = float32 ? (float) value : value;
		}
		values[1] = Double.NEGATIVE_INFINITY;
		values[2] = -0.0;
		return values;
	}

	private static ByteBuffer encode(double[] values, int width, ByteOrder order) {
		ByteBuffer bytes = ByteBuffer.allocate(values.length * width).order(order);
		for (double value : values) {
			switch (width) {
				case 8 -> bytes.putDouble(value);
				case 4 -> bytes.putFloat((float) value);
				default -> bytes.putShort(Double.isNaN(value) ? (short) 0x7E00 : (value == Double.POSITIVE_INFINITY)
						? (short) 0x7C00 : (value == Double.NEGATIVE_INFINITY) ? (short) 0xFC00 : (short) 0x3800);
			}
		}
		return bytes.flip();
	}

	private static long crcOf(ByteBuffer bytes) {
		CRC32 crc = new CRC32();
		crc.update(bytes.duplicate());
		return crc.getValue();
	}

	private static ByteOrder byteOrder(String name) {
		return name.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
	}

	/** A stream that gives at most 1000 bytes a read, as a socket may. */
	private static class Trickle extends InputStream {

		private final ByteArrayInputStream bytes;

		Trickle(byte[] bytes) {
			this.bytes = new ByteArrayInputStream(bytes);
		}

		@Override
		public int read() {
			return this.bytes.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			return this.bytes.read(buffer, offset, Math.min(length, 1000));
		}

	}

}
