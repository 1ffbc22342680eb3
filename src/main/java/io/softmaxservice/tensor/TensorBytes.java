package io.softmaxservice.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.zip.Checksum;

import org.jspecify.annotations.Nullable;

/**
 * Converts floating-point tensor values between their raw bytes (float16, float32 or
 * float64, either byte order) and doubles, for the binary formats. Large tensors are
 * memory-bound, so the work goes in chunks small enough to stay in the CPU's cache: a
 * chunk is read from memory once, by the checksum, and converted and checked for NaN
 * while it is still cached, instead of three passes over memory. Same-width copies are
 * bulk memory copies (a byte swap for the other byte order).
 */
public final class TensorBytes {

	/** The bytes converted at a time: well within a core's L1 and L2 caches. */
	private static final int CHUNK_BYTES = 1 << 15;

	private TensorBytes() {
	}

	/**
	 * Reads floating-point values, all of them, checksumming every byte, and finds the
	 * first NaN: a caller that refuses NaN still gets a whole checksum, so that a damaged
	 * archive is reported as damaged.
	 * @param data the values' bytes, from its position to its limit, in its byte order;
	 * exactly {@code values.length * width}
	 * @param width 2 (float16), 4 (float32) or 8 (float64)
	 * @param values where to put the values, as doubles
	 * @param checksum updated with the bytes read, or null
	 * @return the index of the first NaN, or -1 if there is none
	 */
	public static int readFloats(ByteBuffer data, int width, double[] values, @Nullable Checksum checksum) {
		if (data.remaining() != (long) values.length * width) {
			throw new IllegalArgumentException(data.remaining() + " bytes do not hold " + values.length + " values");
		}
		return convert(data, width, values, checksum, true, null);
	}

	/**
	 * Checks floating-point values without keeping them: checksums every byte and finds
	 * the first NaN, converting a chunk at a time into a buffer that stays in the cache.
	 * @param data the values' bytes, from its position to its limit, in its byte order
	 * @param width 2 (float16), 4 (float32) or 8 (float64)
	 * @param checksum updated with the bytes read, or null
	 * @return the index of the first NaN, or -1 if there is none
	 */
	public static int checkFloats(ByteBuffer data, int width, @Nullable Checksum checksum) {
		if (width == 2 || data.order() != ByteOrder.nativeOrder()) {
			return convert(data, width, null, checksum, true, null);
		}
		// The machine's byte order: NaN is looked for in place, no copy.
		ByteBuffer bytes = data.slice().order(data.order());
		DoubleBuffer doubles = (width == 8) ? bytes.asDoubleBuffer() : null;
		FloatBuffer floats = (width == 4) ? bytes.asFloatBuffer() : null;
		int count = bytes.remaining() / width;
		int perChunk = CHUNK_BYTES / width;
		int firstNaN = -1;
		for (int from = 0; from < count; from += perChunk) {
			int n = Math.min(perChunk, count - from);
			if (checksum != null) {
				checksum.update(bytes.slice(from * width, n * width));
			}
			for (int i = from; i < from + n && firstNaN < 0; i++) {
				if ((doubles != null) ? Double.isNaN(doubles.get(i)) : Float.isNaN(floats.get(i))) {
					firstNaN = i;
				}
			}
		}
		return firstNaN;
	}

	/**
	 * Converts floating-point values a chunk at a time, for a caller that copies them on
	 * (into ND4J's memory) or looks for something in them.
	 * @param data the values' bytes, from its position to its limit, in its byte order
	 * @param width 2 (float16), 4 (float32) or 8 (float64)
	 * @param chunks receives each chunk
	 */
	public static void forEachChunk(ByteBuffer data, int width, Chunks chunks) {
		convert(data, width, null, null, false, chunks);
	}

	/**
	 * The index of the first value equal to another.
	 * @param data the values' bytes, from its position to its limit, in its byte order
	 * @param width 2 (float16), 4 (float32) or 8 (float64)
	 * @param value the value looked for, not NaN
	 * @return its first index, or -1
	 */
	public static int indexOf(ByteBuffer data, int width, double value) {
		int[] found = { -1 };
		if (width == 8 && data.order() == ByteOrder.nativeOrder()) {
			DoubleBuffer doubles = data.slice().order(data.order()).asDoubleBuffer();
			for (int i = 0; i < doubles.limit(); i++) {
				if (doubles.get(i) == value) {
					return i;
				}
			}
			return -1;
		}
		if (width == 4 && data.order() == ByteOrder.nativeOrder()) {
			FloatBuffer floats = data.slice().order(data.order()).asFloatBuffer();
			for (int i = 0; i < floats.limit(); i++) {
				if (floats.get(i) == value) {
					return i;
				}
			}
			return -1;
		}
		convert(data, width, null, null, false, (chunk, from, n) -> {
			for (int i = 0; i < n; i++) {
				if (chunk[i] == value) {
					found[0] = from + i;
					return false;
				}
			}
			return true;
		});
		return found[0];
	}

	/**
	 * The one conversion loop: into {@code values} when given, else into a chunk-sized
	 * buffer handed to {@code chunks}.
	 */
	private static int convert(ByteBuffer data, int width, double @Nullable [] values, @Nullable Checksum checksum,
			boolean findNaN, @Nullable Chunks chunks) {
		ByteBuffer bytes = data.slice().order(data.order());
		int count = bytes.remaining() / width;
		int perChunk = CHUNK_BYTES / width;
		DoubleBuffer doubles = (width == 8) ? bytes.asDoubleBuffer() : null;
		FloatBuffer floats = (width == 4) ? bytes.asFloatBuffer() : null;
		float[] scratch = (width == 4) ? new float[Math.min(count, perChunk)] : null;
		double[] chunk = (values != null) ? values : new double[Math.min(count, perChunk)];
		int firstNaN = -1;
		for (int from = 0; from < count; from += perChunk) {
			int n = Math.min(perChunk, count - from);
			int at = (values != null) ? from : 0;
			if (checksum != null) {
				checksum.update(bytes.slice(from * width, n * width));
			}
			if (doubles != null) {
				doubles.get(from, chunk, at, n);
			}
			else if (floats != null) {
				floats.get(from, scratch, 0, n);
				widen(scratch, chunk, at, n);
			}
			else {
				for (int i = 0; i < n; i++) {
					chunk[at + i] = Float16.TABLE[bytes.getShort(2 * (from + i)) & 0xffff];
				}
			}
			if (findNaN && firstNaN < 0) {
				int nan = firstNaN(chunk, at, n);
				firstNaN = (nan < 0) ? -1 : from + nan - at;
			}
			if (chunks != null && !chunks.accept(chunk, from, n)) {
				break;
			}
		}
		return firstNaN;
	}

	/**
	 * Writes a tensor's values as little-endian float64, or float32 for a float32 tensor:
	 * the bytes it was made from as they are when they are those, else converted.
	 * @param tensor the tensor
	 * @param out where to write them, or null to only checksum them
	 * @param checksum updated with the bytes written, or null
	 * @throws IOException if the stream fails
	 */
	public static void write(Tensor tensor, @Nullable OutputStream out, @Nullable Checksum checksum)
			throws IOException {
		ByteBuffer raw = tensor.bytes();
		if (raw != null && raw.order() == ByteOrder.LITTLE_ENDIAN && raw.hasArray()) {
			if (checksum != null) {
				checksum.update(raw.duplicate());
			}
			if (out != null) {
				out.write(raw.array(), raw.arrayOffset() + raw.position(), raw.remaining());
			}
			return;
		}
		writeFloats(tensor.values(), tensor.dtype() == DType.FLOAT32, out, checksum);
	}

	/**
	 * Writes values as little-endian float64, or float32 rounded to nearest.
	 * @param values the values
	 * @param float32 whether to write float32
	 * @param out where to write them, or null to only checksum them
	 * @param checksum updated with the bytes written, or null
	 * @throws IOException if the stream fails
	 */
	public static void writeFloats(double[] values, boolean float32, @Nullable OutputStream out,
			@Nullable Checksum checksum) throws IOException {
		int width = float32 ? 4 : 8;
		int perChunk = CHUNK_BYTES / width;
		ByteBuffer chunk = ByteBuffer.allocate(Math.min(CHUNK_BYTES, Math.max(width, values.length * width)))
			.order(ByteOrder.LITTLE_ENDIAN);
		DoubleBuffer doubles = chunk.asDoubleBuffer();
		FloatBuffer floats = chunk.asFloatBuffer();
		float[] scratch = float32 ? new float[Math.min(values.length, perChunk)] : null;
		for (int from = 0; from < values.length; from += perChunk) {
			int n = Math.min(perChunk, values.length - from);
			if (scratch != null) {
				narrow(values, from, scratch, n);
				floats.put(0, scratch, 0, n);
			}
			else {
				doubles.put(0, values, from, n);
			}
			if (checksum != null) {
				checksum.update(chunk.array(), 0, n * width);
			}
			if (out != null) {
				out.write(chunk.array(), 0, n * width);
			}
		}
	}

	/**
	 * Reads a whole binary body: straight into one array of its declared length when it
	 * has one ({@code InputStream.readNBytes} would gather it in 8 KiB pieces and copy
	 * them again). The body filter has refused declared lengths over the limit by then.
	 * @param in the body
	 * @param length its {@code Content-Length}, or -1 if unknown
	 * @return its bytes, fewer than declared if it ends early
	 * @throws IOException if reading fails
	 */
	public static byte[] readBody(InputStream in, long length) throws IOException {
		if (length < 0 || length > Integer.MAX_VALUE - 8) {
			return in.readAllBytes();
		}
		byte[] body = new byte[(int) length];
		int n = 0;
		while (n < body.length) {
			int read = in.read(body, n, body.length - n);
			if (read < 0) {
				return Arrays.copyOf(body, n);
			}
			n += read;
		}
		return body;
	}

	/** float to double, a loop the JIT vectorises. */
	private static void widen(float[] from, double[] to, int offset, int n) {
		for (int i = 0; i < n; i++) {
			to[offset + i] = from[i];
		}
	}

	/** double to float, rounding to nearest, a loop the JIT vectorises. */
	private static void narrow(double[] from, int offset, float[] to, int n) {
		for (int i = 0; i < n; i++) {
			to[i] = (float) from[offset + i];
		}
	}

	private static int firstNaN(double[] values, int from, int n) {
		for (int i = from; i < from + n; i++) {
			if (values[i] != values[i]) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Receives converted values a chunk at a time.
	 */
	@FunctionalInterface
	public interface Chunks {

		/**
		 * Takes one chunk.
		 * @param values the chunk's values, from index 0; reused for the next chunk
		 * @param from the row-major index of its first value
		 * @param count how many values it has
		 * @return whether to go on with the next chunk
		 */
		boolean accept(double[] values, int from, int count);

	}

	/** float16 to float32, by a table of all 65,536 values. */
	private static final class Float16 {

		static final float[] TABLE = new float[1 << 16];

		static {
			for (int bits = 0; bits < TABLE.length; bits++) {
				TABLE[bits] = toFloat(bits);
			}
		}

		/**
		 * IEEE 754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
		 * Subnormals are {@code fraction * 2^-24}, exact in a float.
		 */
		static float toFloat(int bits) {
			int exponent = (bits >>> 10) & 0x1f;
			int fraction = bits & 0x3ff;
			float magnitude;
			if (exponent == 0) {
				magnitude = fraction * 0x1p-24f;
			}
			else if (exponent == 0x1f) {
				magnitude = (fraction == 0) ? Float.POSITIVE_INFINITY : Float.NaN;
			}
			else {
				magnitude = Float.intBitsToFloat(((exponent - 15 + 127) << 23) | (fraction << 13));
			}
			return ((bits & 0x8000) != 0) ? -magnitude : magnitude;
		}

	}

}
