package io.softmaxservice.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import io.softmaxservice.LengthClosingOutputStream;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JsonTensorWriter}: nesting of every rank, float32 digits, non-finite values as
 * tokens or null, and tensors much larger than its buffer, checked against the element
 * texts written one by one.
 */
class JsonTensorWriterTests {

	@Test
	void writesNothingOnceTheWholeTextIsWritten() throws IOException {
		// The buffer ends full, then a raw text longer than the buffer goes to the stream
		// by itself: flushing must not write the empty buffer after it.
		byte[] raw = "1".repeat(200).getBytes(StandardCharsets.US_ASCII);
		LengthClosingOutputStream out = new LengthClosingOutputStream(() -> 64 + raw.length);
		JsonTensorWriter writer = new JsonTensorWriter(out, false, 64);
		for (int i = 0; i < 64; i++) {
			writer.ascii(' ');
		}
		writer.raw(raw);
		writer.flush();
		assertThat(out.size()).isEqualTo(64 + raw.length);
	}

	@Test
	void writesEveryRankAsNestedArrays() throws IOException {
		assertThat(write(Tensor.scalar(2000.0), false)).isEqualTo("2000.0");
		assertThat(write(Tensor.of(new int[] { 3 }, 1, 0.5, -2), false)).isEqualTo("[1.0,0.5,-2.0]");
		assertThat(write(Tensor.of(new int[] { 2, 2 }, 0.1, 2e23, 1.0 / 3, Double.NEGATIVE_INFINITY), false))
			.isEqualTo("[[0.1,2.0E23],[0.3333333333333333,-Infinity]]");
		assertThat(write(Tensor.of(new int[] { 2, 1, 3 }, 1, 2, 3, 4, 5, 6), false))
			.isEqualTo("[[[1.0,2.0,3.0]],[[4.0,5.0,6.0]]]");
		assertThat(write(Tensor.of(new int[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 7), false))
			.isEqualTo("[[[[[[[[[7.0]]]]]]]]]");
	}

	@Test
	void writesFloat32AsTheShortestFloat() throws IOException {
		Tensor floats = new Tensor(new int[] { 4 }, new double[] { 0.1f, 1.0f / 3, 16777216f, Float.MIN_VALUE },
				DType.FLOAT32);
		assertThat(write(floats, false)).isEqualTo("[0.1,0.33333334,1.6777216E7,1.0E-45]");
	}

	@Test
	void writesNonFiniteValuesAsNullWhenAsked() throws IOException {
		Tensor tensor = Tensor.of(new int[] { 3 }, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
		assertThat(write(tensor, true)).isEqualTo("[0.0,null,null]");
		assertThat(write(tensor, false)).isEqualTo("[0.0,-Infinity,Infinity]");
	}

	@Test
	void streamsTensorsLargerThanItsBuffer() throws IOException {
		Random random = new Random(5);
		double[] values = new double[3 * 7 * 4001];
		StringBuilder expected = new StringBuilder();
		for (int i = 0; i < values.length; i++) {
			values[i] = random.nextGaussian() * Math.pow(10, random.nextInt(600) - 300);
		}
		int index = 0;
		expected.append('[');
		for (int a = 0; a < 3; a++) {
			expected.append((a > 0) ? ",[" : "[");
			for (int b = 0; b < 7; b++) {
				expected.append((b > 0) ? ",[" : "[");
				for (int c = 0; c < 4001; c++) {
					expected.append((c > 0) ? "," : "").append(ShortestDecimalText.of(values[index++]));
				}
				expected.append(']');
			}
			expected.append(']');
		}
		expected.append(']');
		assertThat(write(Tensor.of(new int[] { 3, 7, 4001 }, values), false)).isEqualTo(expected.toString());
	}

	@Test
	void tensorWhenBufferIsSmallWritesTheSameText() throws IOException {
		Random random = new Random(6);
		double[] values = new double[5 * 333];
		for (int i = 0; i < values.length; i++) {
			values[i] = (i % 7 == 0) ? Double.NEGATIVE_INFINITY : random.nextGaussian() * 1e-200;
		}
		Tensor tensor = Tensor.of(new int[] { 5, 333 }, values);
		for (boolean nonFiniteAsNull : new boolean[] { false, true }) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			JsonTensorWriter writer = new JsonTensorWriter(out, nonFiniteAsNull, 0);
			writer.name("p");
			writer.tensor(tensor);
			writer.flush();
			assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("\"p\":" + write(tensor, nonFiniteAsNull));
		}
	}

	@Test
	void squareMatricesWhenSymmetricOrNotWriteEveryValuesOwnText() throws IOException {
		Random random = new Random(7);
		int n = 9;
		double[] values = new double[3 * 2 * n * n];
		for (int m = 0; m < 6; m++) {
			for (int i = 0; i < n; i++) {
				for (int j = i; j < n; j++) {
					double v = random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
					if ((i + j) % 5 == 0) {
						v = Double.NEGATIVE_INFINITY;
					}
					// Block 4 is not symmetric; in block 5 zeros meet negative zeros.
					double mirror = (m == 4) ? v * 3 : v;
					if (m == 5 && i == 0) {
						v = 0.0;
						mirror = -0.0;
					}
					values[m * n * n + i * n + j] = v;
					values[m * n * n + j * n + i] = mirror;
				}
			}
		}
		Tensor tensor = Tensor.of(new int[] { 3, 2, n, n }, values);
		for (boolean nonFiniteAsNull : new boolean[] { false, true }) {
			StringBuilder expected = new StringBuilder("[");
			for (int a = 0; a < 3; a++) {
				expected.append((a > 0) ? ",[" : "[");
				for (int b = 0; b < 2; b++) {
					expected.append((b > 0) ? ",[" : "[");
					for (int i = 0; i < n; i++) {
						expected.append((i > 0) ? ",[" : "[");
						for (int j = 0; j < n; j++) {
							double v = values[((a * 2 + b) * n + i) * n + j];
							expected.append((j > 0) ? "," : "")
								.append((nonFiniteAsNull && Double.isInfinite(v)) ? "null" : ShortestDecimalText.of(v));
						}
						expected.append(']');
					}
					expected.append(']');
				}
				expected.append(']');
			}
			expected.append(']');
			assertThat(write(tensor, nonFiniteAsNull)).isEqualTo(expected.toString());
			// A buffer shorter than a row flushes between a text and its mirror image.
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			JsonTensorWriter writer = new JsonTensorWriter(out, nonFiniteAsNull, 0);
			writer.tensor(tensor);
			writer.flush();
			assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
		}
	}

	@Test
	void symmetricFloat32MatricesWriteTheShortestFloats() throws IOException {
		Tensor floats = new Tensor(new int[] { 2, 2 }, new double[] { 0.1f, 1.0f / 3, 1.0f / 3, 16777216f },
				DType.FLOAT32);
		assertThat(write(floats, false)).isEqualTo("[[0.1,0.33333334],[0.33333334,1.6777216E7]]");
	}

	@Test
	void tensorMadeFromBytesWritesTheSameTextAsItsValues() throws IOException {
		Random random = new Random(42);
		int[][] shapes = { {}, { 2, TensorBlocks.BLOCK * 2 + 5 }, { 3, 4, 4 }, { 5 } };
		for (DType dtype : new DType[] { DType.FLOAT64, DType.FLOAT32 }) {
			for (int[] shape : shapes) {
				int size = (int) Tensor.elementCount(shape);
				ByteBuffer bytes = ByteBuffer.allocate(size * ((dtype == DType.FLOAT32) ? 4 : 8))
					.order(ByteOrder.LITTLE_ENDIAN);
				double[] values = new double[size];
				for (int i = 0; i < size; i++) {
					double value = random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
					if (dtype == DType.FLOAT32) {
						bytes.putFloat(4 * i, (float) value);
						values[i] = (float) value;
					}
					else {
						bytes.putDouble(8 * i, value);
						values[i] = value;
					}
				}
				Tensor fromBytes = Tensor.ofBytes(shape, bytes, dtype);
				assertThat(write(fromBytes, false)).isEqualTo(write(new Tensor(shape, values, dtype), false));
			}
		}
	}

	@Test
	void measuringCountsTheTextAndMeasuredWritesItFromTheMeasures() throws IOException {
		Random random = new Random(8);
		double[] values = new double[4 * 300 * 300];
		for (int i = 0; i < values.length; i++) {
			values[i] = (i % 11 == 0) ? Double.NEGATIVE_INFINITY
					: random.nextGaussian() * Math.pow(10, random.nextInt(60) - 30);
		}
		Tensor[] tensors = { Tensor.scalar(Double.NEGATIVE_INFINITY), Tensor.scalar(0.1),
				Tensor.of(new int[] { 4, 300, 3, 100 }, values), Tensor.of(new int[] { 4 * 300, 300 }, values),
				new Tensor(new int[] { 4 * 300 * 300 }, values, DType.FLOAT32),
				Tensor.of(new int[] { 4, 3, 7, 7 }, java.util.Arrays.copyOf(values, 4 * 3 * 7 * 7)) };
		for (Tensor tensor : tensors) {
			for (boolean nonFiniteAsNull : new boolean[] { false, true }) {
				String text = write(tensor, nonFiniteAsNull);
				ByteArrayOutputStream counted = new ByteArrayOutputStream();
				long[] measures = new long[tensor.size()];
				JsonTensorWriter measuring = JsonTensorWriter.measuring(counted, nonFiniteAsNull, 0, measures);
				measuring.tensor(tensor);
				measuring.flush();
				assertThat(counted.size()).isEqualTo(text.length());
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				JsonTensorWriter measured = JsonTensorWriter.measured(out, nonFiniteAsNull, 0, measures);
				measured.tensor(tensor);
				measured.flush();
				assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(text);
			}
		}
	}

	@Test
	void rawTextIsWrittenInOrderWhetherItFitsTheBufferOrNot() throws IOException {
		// The smallest buffer (64 bytes): a text that fits what is left, one that needs a
		// flush first, and one longer than the whole buffer.
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		JsonTensorWriter writer = new JsonTensorWriter(out, false, 0);
		String fits = "\"0123456789\"";
		String afterFlush = "[" + "1,".repeat(25) + "1]";
		String longer = "\"" + "x".repeat(200) + "\"";
		writer.ascii('[');
		writer.raw(fits.getBytes(StandardCharsets.US_ASCII));
		writer.ascii(',');
		writer.raw(afterFlush.getBytes(StandardCharsets.US_ASCII));
		writer.ascii(',');
		writer.raw(longer.getBytes(StandardCharsets.US_ASCII));
		writer.ascii(']');
		writer.flush();
		assertThat(out.toString(StandardCharsets.US_ASCII))
			.isEqualTo("[" + fits + "," + afterFlush + "," + longer + "]");
	}

	private static String write(Tensor tensor, boolean nonFiniteAsNull) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		JsonTensorWriter writer = new JsonTensorWriter(out, nonFiniteAsNull, JsonTensorWriter.BUFFER_SIZE);
		writer.tensor(tensor);
		writer.flush();
		return out.toString(StandardCharsets.US_ASCII);
	}

	/** One value's text, as the tested formatter writes it alone. */
	private static final class ShortestDecimalText {

		static String of(double value) {
			return io.softmaxservice.tensor.ShortestDecimal.toString(value);
		}

	}

}
