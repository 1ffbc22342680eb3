package io.softmaxservice.numpy;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

import io.softmaxservice.numpy.NpyHeader.Kind;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InputTooLargeException;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reads the arrays NumPy wrote ({@code src/test/python/numpy_fixtures.py}) and compares
 * their values with NumPy's own.
 */
class NpyReaderTests {

	private static final Set<Kind> ALL = EnumSet.allOf(Kind.class);

	private static final Set<Kind> FLOATS = EnumSet.of(Kind.FLOAT);

	@ParameterizedTest
	@CsvSource({ "f8_le.npy, FLOAT64", "f8_be.npy, FLOAT64", "f4_le.npy, FLOAT32", "f4_be.npy, FLOAT32",
			"f2_le.npy, FLOAT32", "f2_be.npy, FLOAT32", "i1_le.npy, FLOAT64", "i2_le.npy, FLOAT64",
			"i2_be.npy, FLOAT64", "i4_le.npy, FLOAT64", "i4_be.npy, FLOAT64", "i8_le.npy, FLOAT64",
			"i8_be.npy, FLOAT64", "u1_le.npy, FLOAT64", "u2_le.npy, FLOAT64", "u2_be.npy, FLOAT64",
			"u4_le.npy, FLOAT64", "u4_be.npy, FLOAT64", "u8_le.npy, FLOAT64", "u8_be.npy, FLOAT64",
			"i8_negative.npy, FLOAT64", "u8_large.npy, FLOAT64", "b1.npy, FLOAT64", "f8_fortran.npy, FLOAT64",
			"f4_fortran_rank3.npy, FLOAT32", "f8_be_fortran.npy, FLOAT64", "f8_0d.npy, FLOAT64", "i8_0d.npy, FLOAT64",
			"f8_rank8.npy, FLOAT64", "f8_v2.npy, FLOAT64", "f4_v3.npy, FLOAT32" })
	void readsWhatNumpyWrote(String name, DType dtype) {
		Tensor tensor = read(name, ALL);
		assertThat(tensor.shape()).containsExactly(NumpyFixtures.shape(name));
		assertThat(tensor.values()).containsExactly(NumpyFixtures.values(name));
		assertThat(tensor.dtype()).isEqualTo(dtype);
	}

	@Test
	void readsFloat16SubnormalsAndInfinities() {
		assertThat(NpyReader
			.read(ByteBuffer.wrap(npy("<f2", "(4,)", 0x0001, 0x8001, 0x7c00, 0xfbff)), "/logits", FLOATS, 10)
			.values()).containsExactly(0x1p-24, -0x1p-24, Double.POSITIVE_INFINITY, -65504.0);
	}

	@ParameterizedTest
	@CsvSource({ "object.npy, object (pickled)", "structured.npy, structured", "complex.npy, complex",
			"string.npy, string", "f16.npy, float128" })
	void refusesTypesThatAreNeverRead(String name, String named) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read(name, ALL))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"))
			.satisfies((ex) -> assertThat(ex.detail()).contains(named.equals("float128") ? "'<f16'" : named));
	}

	@Test
	void refusesIntegersWhereOnlyFloatsAreRead() {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read("i8_le.npy", FLOATS))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"))
			.satisfies((ex) -> assertThat(ex.detail())
				.isEqualTo("The array's dtype is int64; send float16, float32 or float64 values here."));
	}

	@Test
	void refusesNanAtItsLogicalPosition() {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read("nan.npy", FLOATS))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits/1/0"))
			.satisfies((ex) -> assertThat(ex.detail()).isEqualTo("NaN is not allowed; send a number."));
	}

	@ParameterizedTest
	@CsvSource({ ">f8, BIG_ENDIAN", "<f8, LITTLE_ENDIAN", ">f4, BIG_ENDIAN", "<f4, LITTLE_ENDIAN" })
	void readsLargeArraysOfEitherByteOrderAndFindsNanInAnyChunk(String descr, String order) {
		int rows = 5;
		int classes = 4001;
		int width = Integer.parseInt(descr.substring(2));
		ByteBuffer data = ByteBuffer.allocate(rows * classes * width)
			.order(order.equals("BIG_ENDIAN") ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < rows * classes; i++) {
			if (width == 4) {
				data.putFloat(i * 0.25f - 7);
			}
			else {
				data.putDouble(i * 0.1 - 7);
			}
		}
		String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (5, 4001), }";
		Tensor tensor = NpyReader.read(ByteBuffer.wrap(withHeader(header, data.array())), "/logits", FLOATS,
				rows * classes);
		assertThat(tensor.dtype()).isEqualTo((width == 4) ? DType.FLOAT32 : DType.FLOAT64);
		assertThat(tensor.get(4 * classes + 4000))
			.isEqualTo((width == 4) ? (5 * 4001 - 1) * 0.25f - 7 : (5 * 4001 - 1) * 0.1 - 7);
		assertThat(tensor.values()[3 * classes + 17])
			.isEqualTo((width == 4) ? (3 * 4001 + 17) * 0.25f - 7 : (3 * 4001 + 17) * 0.1 - 7);
		if (width == 4) {
			data.putFloat(4 * (3 * classes + 17), Float.NaN);
		}
		else {
			data.putDouble(8 * (3 * classes + 17), Double.NaN);
		}
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> NpyReader.read(ByteBuffer.wrap(withHeader(header, data.array())), "/logits", FLOATS,
					rows * classes))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits/3/17"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("nan"));
	}

	@Test
	void refusesEmptyDimensionAtTheArrayJsonWouldPointAt() {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read("empty.npy", FLOATS))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits/0"));
	}

	@Test
	void refusesRankNine() {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> read("rank9.npy", FLOATS))
			.satisfies((ex) -> assertThat(ex.detail()).isEqualTo("Too many dimensions: a tensor may have at most 8."));
	}

	@Test
	void refusesMoreElementsThanTheLimitFromTheHeaderAlone() {
		byte[] header = npy("<f8", "(1000000, 1000000)");
		assertThatExceptionOfType(InputTooLargeException.class)
			.isThrownBy(() -> NpyReader.read(ByteBuffer.wrap(header), "/logits", FLOATS, 4_194_304))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "(4294967296, 4294967296)", "(3037000500, 3037000500)", "(65536, 65536, 65536, 65536)",
			"(4294967296, 4294967296, 3)" })
	void refusesShapesWhoseElementCountOverflowsALongAsOverTheLimit(String shape) {
		// The products are 2^64, just over 2^63, 2^64 again and 3 * 2^64: wrapped in a
		// long
		// they read as 0 or a negative count, within the limit.
		byte[] npy = npy("<f8", shape, 0, 0, 0, 0);
		assertThatExceptionOfType(InputTooLargeException.class)
			.isThrownBy(() -> NpyReader.read(ByteBuffer.wrap(npy), "/logits", FLOATS, 4_194_304))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"))
			.withMessage("The tensor has more than 4194304 elements, the limit; send a smaller tensor.");
	}

	@Test
	void acceptsExactlyTheLimit() {
		assertThat(NpyReader.read(ByteBuffer.wrap(npy("<f8", "(2, 2)", 0, 0, 0, 0)), "/logits", FLOATS, 4).size())
			.isEqualTo(4);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{'descr': '<f8', 'fortran_order': False}",
			"{'descr': '<f8', 'fortran_order': False, " + "'shape': (2,), 'extra': 1}",
			"{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}",
			"{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} x", "__import__('os').system('true')",
			"{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}",
			"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'shape': (2,)}" })
	void refusesHeadersThatAreNotNumpysDict(String header) {
		byte[] npy = withHeader(header, new byte[16]);
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> NpyReader.read(ByteBuffer.wrap(npy), "/logits", FLOATS, 10))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits"));
	}

	@Test
	void refusesTruncatedData() {
		byte[] npy = withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", new byte[16]);
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> NpyReader.read(ByteBuffer.wrap(npy), "/logits", FLOATS, 10))
			.satisfies((ex) -> assertThat(ex.detail()).contains("16 bytes of data", "need 24"));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 5, 9, 11 })
	void refusesTruncatedHeaders(int length) {
		byte[] whole = NumpyFixtures.bytes("f8_le.npy");
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> NpyReader.read(ByteBuffer.wrap(whole, 0, length), "/logits", FLOATS, 10));
	}

	@ParameterizedTest
	@CsvSource({ "<f8, 8", "<f2, 2" })
	void reportsNaNOfAFortranOrderedArrayAtItsLogicalElement(String descr, int width) {
		// Column-major (2, 3): the fourth value stored is row 1, column 1.
		short[] halves = { 0x0000, 0x3c00, 0x4000, 0x7e00, 0x4400, 0x4500 };
		ByteBuffer data = ByteBuffer.allocate(6 * width).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < 6; i++) {
			if (width == 8) {
				data.putDouble((i == 3) ? Double.NaN : i);
			}
			else {
				data.putShort(halves[i]);
			}
		}
		byte[] npy = withHeader("{'descr': '" + descr + "', 'fortran_order': True, 'shape': (2, 3), }", data.array());
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> NpyReader.read(ByteBuffer.wrap(npy), "/logits", FLOATS, 10))
			.satisfies((ex) -> assertThat(ex.pointer()).isEqualTo("/logits/1/1"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("nan"));
	}

	@Test
	void reordersFortranOrderToRowMajor() {
		assertThat(NpyReader.toRowMajor(new double[] { 1, 4, 2, 5, 3, 6 }, new int[] { 2, 3 })).containsExactly(1, 2, 3,
				4, 5, 6);
	}

	private static Tensor read(String name, Set<Kind> kinds) {
		return NpyReader.read(ByteBuffer.wrap(NumpyFixtures.bytes(name)), "/logits", kinds, 4_194_304);
	}

	static byte[] npy(String descr, String shape, int... values) {
		int width = Integer.parseInt(descr.substring(2));
		ByteBuffer data = ByteBuffer.allocate(values.length * width).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		for (int value : values) {
			if (width == 2) {
				data.putShort((short) value);
			}
			else {
				data.putDouble(value);
			}
		}
		return withHeader("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }", data.array());
	}

	static byte[] withHeader(String header, byte[] data) {
		ByteBuffer npy = ByteBuffer.allocate(10 + header.length() + data.length)
			.order(java.nio.ByteOrder.LITTLE_ENDIAN);
		npy.put(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0 });
		npy.putShort((short) header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
		return npy.put(data).array();
	}

}
