package io.softmaxservice.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
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

	/**
	 * The most a body's array holds before any of it has arrived: 200 request threads
	 * waiting on clients that declared 64 MB bodies and sent nothing hold 50 MB.
	 */
	public static final int FIRST_BODY_BYTES = 256 * 1024;

	/** The bytes converted at a time: well within a core's L1 and L2 caches. */
	private static final int CHUNK_BYTES = 1 << 15;

	private static final long DOUBLE_EXPONENT = 0x7ff0_0000_0000_0000L;

	private static final int FLOAT_EXPONENT = 0x7f80_0000;

	/** The exponent bits of two float32s in a long. */
	private static final long FLOAT_EXPONENTS = 0x7f80_0000_7f80_0000L;

	/** 1 in the lowest exponent bit of each. */
	private static final long FLOAT_EXPONENT_ONES = 0x0080_0000_0080_0000L;

	/** The bit above each exponent (a sign bit), which the sum carries into. */
	private static final long FLOAT_CARRIES = 0x8000_0000_8000_0000L;

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
		Finder found = new Finder();
		convert(data, width, values, checksum, found, null);
		return found.nan;
	}

	/**
	 * Checks floating-point values without keeping them: checksums every byte and finds
	 * the first NaN, the first {@code +Infinity} and the first {@code -Infinity}, a chunk
	 * at a time while it is in the cache. In the machine's byte order the values are
	 * looked at in place, by their bits: a value is not finite when its exponent bits are
	 * all ones, which takes one test per float64 and one per two float32s (see
	 * {@link #scanFloats}); only such a value is looked at further. After a NaN only the
	 * checksum goes on: NaN is refused wherever the infinities are.
	 * @param data the values' bytes, from its position to its limit, in its byte order
	 * @param width 2 (float16), 4 (float32) or 8 (float64)
	 * @param checksum updated with the bytes read, or null
	 * @return where the values are not finite
	 */
	public static NonFinite checkFloats(ByteBuffer data, int width, @Nullable Checksum checksum) {
		Finder found = new Finder();
		if (width == 2 || data.order() != ByteOrder.nativeOrder()) {
			convert(data, width, null, checksum, found, null);
			return found.result();
		}
		ByteBuffer bytes = data.slice().order(data.order());
		LongBuffer longs = bytes.asLongBuffer();
		IntBuffer ints = bytes.asIntBuffer();
		int count = bytes.remaining() / width;
		int perChunk = CHUNK_BYTES / width;
		for (int from = 0; from < count; from += perChunk) {
			int n = Math.min(perChunk, count - from);
			if (checksum != null) {
				checksum.update(bytes.slice(from * width, n * width));
			}
			if (found.nan < 0) {
				if (width == 8) {
					scanDoubles(longs, from, n, found);
				}
				else {
					scanFloats(longs, ints, from, n, found);
				}
			}
		}
		return found.result();
	}

	/** Looks at the exponent bits of each float64, as a long. */
	private static void scanDoubles(LongBuffer bits, int from, int n, Finder found) {
		for (int i = from; i < from + n; i++) {
			long value = bits.get(i);
			if ((value & DOUBLE_EXPONENT) == DOUBLE_EXPONENT) {
				found.note(i, (value & ~DOUBLE_EXPONENT & Long.MAX_VALUE) != 0, value < 0);
				if (found.nan >= 0) {
					return;
				}
			}
		}
	}

	/**
	 * Looks at two float32s at a time, as a long: adding 1 to an exponent of all ones
	 * carries into the bit above it (its float's sign bit, cleared by the mask), and into
	 * no other float's bits; only a pair with such a carry is looked at float by float.
	 * {@code from} is even (chunks hold an even number of floats).
	 */
	private static void scanFloats(LongBuffer pairs, IntBuffer bits, int from, int n, Finder found) {
		int end = from + n;
		for (int pair = from / 2; pair < end / 2; pair++) {
			if ((((pairs.get(pair) & FLOAT_EXPONENTS) + FLOAT_EXPONENT_ONES) & FLOAT_CARRIES) != 0) {
				scanFloats(bits, 2 * pair, 2 * pair + 2, found);
				if (found.nan >= 0) {
					return;
				}
			}
		}
		if ((end & 1) != 0) {
			scanFloats(bits, end - 1, end, found);
		}
	}

	private static void scanFloats(IntBuffer bits, int from, int to, Finder found) {
		for (int i = from; i < to && found.nan < 0; i++) {
			int value = bits.get(i);
			if ((value & FLOAT_EXPONENT) == FLOAT_EXPONENT) {
				found.note(i, (value & ~FLOAT_EXPONENT & Integer.MAX_VALUE) != 0, value < 0);
			}
		}
	}

	/**
	 * Converts floating-point values a chunk at a time, for a caller that copies them on
	 * (into ND4J's memory) or looks for something in them.
	 * @param data the values' bytes, from its position to its limit, in its byte order
	 * @param width 2 (float16), 4 (float32) or 8 (float64)
	 * @param chunks receives each chunk
	 */
	public static void forEachChunk(ByteBuffer data, int width, Chunks chunks) {
		convert(data, width, null, null, null, chunks);
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
		convert(data, width, null, null, null, (chunk, from, n) -> {
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
	private static void convert(ByteBuffer data, int width, double @Nullable [] values, @Nullable Checksum checksum,
			@Nullable Finder found, @Nullable Chunks chunks) {
		ByteBuffer bytes = data.slice().order(data.order());
		int count = bytes.remaining() / width;
		int perChunk = CHUNK_BYTES / width;
		DoubleBuffer doubles = (width == 8) ? bytes.asDoubleBuffer() : null;
		FloatBuffer floats = (width == 4) ? bytes.asFloatBuffer() : null;
		float[] scratch = (width == 4) ? new float[Math.min(count, perChunk)] : null;
		double[] chunk = (values != null) ? values : new double[Math.min(count, perChunk)];
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
			if (found != null) {
				for (int i = at; i < at + n && found.nan < 0; i++) {
					double value = chunk[i];
					if (!Double.isFinite(value)) {
						found.note(from + i - at, value != value, value < 0);
					}
				}
			}
			if (chunks != null && !chunks.accept(chunk, from, n)) {
				break;
			}
		}
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
	 * Reads a whole binary body into one array of its declared length when it has one
	 * ({@code InputStream.readNBytes} would gather it in 8 KiB pieces and copy them
	 * again). The array grows with the bytes that arrive ({@link #room}), so a client
	 * that declares a large body and sends little of it holds little memory. The body
	 * filter has refused declared lengths over the limit by then.
	 * @param in the body
	 * @param length its {@code Content-Length}, or -1 if unknown
	 * @return its bytes, fewer than declared if it ends early
	 * @throws IOException if reading fails
	 */
	public static byte[] readBody(InputStream in, long length) throws IOException {
		if (length < 0 || length > Integer.MAX_VALUE - 8) {
			return in.readAllBytes();
		}
		byte[] body = new byte[0];
		int n = 0;
		while (n < length) {
			body = room(body, n, length, in.available());
			int read = in.read(body, n, body.length - n);
			if (read < 0) {
				return Arrays.copyOf(body, n);
			}
			n += read;
		}
		return body;
	}

	/**
	 * Room for more of a body of a declared length: the array itself while it has room,
	 * else a copy four times as long as what has arrived, or as long as what has arrived
	 * and what can be read at once (at least {@link #FIRST_BODY_BYTES}, at most the
	 * declared length). An array from the network is never more than four times the bytes
	 * that have arrived, or {@link #FIRST_BODY_BYTES}, and a body that arrives whole is
	 * copied into larger arrays about a third of its length in all; one already in memory
	 * (a replayed body) is read into one array.
	 * @param body the array so far
	 * @param filled the bytes in it
	 * @param length the declared length, at most {@code Integer.MAX_VALUE - 8}
	 * @param available the bytes that can be read now without waiting
	 * ({@link InputStream#available})
	 * @return an array of the same first bytes with room after them, unless it is full at
	 * the declared length
	 */
	public static byte[] room(byte[] body, int filled, long length, int available) {
		if (filled < body.length || body.length == length) {
			return body;
		}
		long size = Math.max(FIRST_BODY_BYTES, Math.max(4L * filled, (long) filled + available));
		return Arrays.copyOf(body, (int) Math.min(length, size));
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

	/**
	 * Where a scan found values that are not finite.
	 *
	 * @param firstNaN the index of the first NaN, or -1 if there is none
	 * @param firstPositiveInfinity the index of the first {@code +Infinity}, or -1 if
	 * there is none (before the first NaN, when there is one)
	 * @param firstNegativeInfinity the same for {@code -Infinity}
	 */
	public record NonFinite(int firstNaN, int firstPositiveInfinity, int firstNegativeInfinity) {

		/**
		 * The index of the first of an infinity.
		 * @param infinity {@code +Infinity} or {@code -Infinity}
		 * @return its first index, or -1
		 */
		public int first(double infinity) {
			if (!Double.isInfinite(infinity)) {
				throw new IllegalArgumentException(infinity + " is not an infinity");
			}
			return (infinity > 0) ? this.firstPositiveInfinity : this.firstNegativeInfinity;
		}

	}

	/** Notes the first value of each non-finite kind as a scan meets them. */
	private static final class Finder {

		int nan = -1;

		int positive = -1;

		int negative = -1;

		void note(int index, boolean isNaN, boolean negative) {
			if (isNaN) {
				this.nan = index;
			}
			else if (negative) {
				this.negative = (this.negative < 0) ? index : this.negative;
			}
			else {
				this.positive = (this.positive < 0) ? index : this.positive;
			}
		}

		NonFinite result() {
			return new NonFinite(this.nan, this.positive, this.negative);
		}

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
	static final class Float16 {

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
