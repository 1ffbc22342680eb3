package io.softmaxservice.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

/**
 * A dense tensor: a shape and its values in row-major order, held in one primitive array
 * so that it can be handed to ND4J with a single copy.
 *
 * <p>
 * Values are doubles whatever the {@link DType}; a float32 tensor holds values already
 * rounded to float and is written back as floats.
 *
 * <p>
 * A tensor read from a binary format may instead keep the raw float32 or float64 bytes it
 * was read from ({@link #ofBytes}): a large tensor then goes from the request body to
 * ND4J with one copy, and from ND4J to the response with one, instead of through a
 * {@code double[]} each way. Its doubles are made only if something asks for them
 * ({@link #values}).
 *
 * <p>
 * A reader that owns the bytes it made such a tensor over ({@link #ofOwnedBytes}) lets a
 * kernel that consumes the tensor write its answer into them ({@link #lendBytes}): a
 * large answer then needs no new array. After that the tensor's bytes are the answer's,
 * and anything that asks for them fails instead of reading the answer's values.
 */
public final class Tensor {

	/** The largest rank a tensor may have. */
	public static final int MAX_RANK = 8;

	private final int[] shape;

	private volatile double @Nullable [] values;

	private final @Nullable ByteBuffer bytes;

	private final int size;

	private final DType dtype;

	/** Where the infinities are, when the reader has looked; else null. */
	private final TensorBytes.@Nullable NonFinite nonFinite;

	/** The CRC-32 of the bytes the binary formats write, or -1 until it is known. */
	private volatile long crc32 = -1;

	/** Whether nothing but this tensor reads or writes its bytes or its values. */
	private final boolean owned;

	/**
	 * Whether its bytes or values were lent ({@link #lendBytes}, {@link #lendValues}):
	 * they hold another tensor's.
	 */
	private boolean lent;

	/**
	 * Creates a tensor over the given values, which it takes ownership of.
	 * @param shape the dimensions, outermost first; empty for a scalar
	 * @param values the values in row-major order, as many as the shape holds
	 * @param dtype how the values are to be read and written
	 */
	public Tensor(int[] shape, double[] values, DType dtype) {
		this(shape, values, dtype, false);
	}

	private Tensor(int[] shape, double[] values, DType dtype, boolean owned) {
		if (elementCount(shape) != values.length) {
			throw new IllegalArgumentException(
					"Shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
		}
		this.shape = shape.clone();
		this.values = values;
		this.bytes = null;
		this.size = values.length;
		this.dtype = dtype;
		this.nonFinite = null;
		this.owned = owned;
	}

	private Tensor(int[] shape, ByteBuffer bytes, DType dtype, TensorBytes.@Nullable NonFinite nonFinite, long crc32,
			boolean owned) {
		if (elementCount(shape) * width(dtype) != bytes.remaining()) {
			throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " does not hold " + bytes.remaining()
					+ " bytes of " + dtype.wireName());
		}
		if (nonFinite != null && nonFinite.firstNaN() >= 0) {
			throw new IllegalArgumentException(
					"The scan stopped at a NaN, so it does not tell where the infinities are");
		}
		this.shape = shape.clone();
		this.values = null;
		this.bytes = bytes.slice().order(bytes.order());
		this.size = (int) elementCount(shape);
		this.dtype = dtype;
		this.nonFinite = nonFinite;
		this.crc32 = crc32;
		this.owned = owned;
	}

	/**
	 * Creates a tensor over raw IEEE 754 values, which it keeps without converting them:
	 * float64 for a float64 tensor, float32 for a float32 one, in the buffer's byte
	 * order. The buffer must not change while the tensor is in use.
	 * @param shape the dimensions, outermost first; empty for a scalar
	 * @param bytes the values in row-major order, from its position to its limit
	 * @param dtype the type of the values
	 * @return the tensor
	 */
	public static Tensor ofBytes(int[] shape, ByteBuffer bytes, DType dtype) {
		return new Tensor(shape, bytes, dtype, null, -1, false);
	}

	/**
	 * Creates a tensor over raw IEEE 754 values that a reader has scanned
	 * ({@link TensorBytes#checkFloats}): {@link #indexOf} answers for the infinities from
	 * the scan, so that a validator does not scan the values again.
	 * @param shape the dimensions, outermost first; empty for a scalar
	 * @param bytes the values, as for {@link #ofBytes(int[], ByteBuffer, DType)}
	 * @param dtype the type of the values
	 * @param nonFinite what the scan of exactly these bytes found: no NaN
	 * @return the tensor
	 */
	public static Tensor ofBytes(int[] shape, ByteBuffer bytes, DType dtype, TensorBytes.NonFinite nonFinite) {
		return new Tensor(shape, bytes, dtype, nonFinite, -1, false);
	}

	/**
	 * Creates a tensor over scanned raw values, as
	 * {@link #ofBytes(int[], ByteBuffer, DType, TensorBytes.NonFinite)} does, whose bytes
	 * nothing else reads or writes, not even another tensor: a kernel that consumes it
	 * may write its answer into them ({@link #lendBytes}).
	 * @param shape the dimensions, outermost first; empty for a scalar
	 * @param bytes the values, from its position to its limit, in a heap buffer
	 * @param dtype the type of the values
	 * @param nonFinite what the scan of exactly these bytes found: no NaN
	 * @return the tensor
	 */
	public static Tensor ofOwnedBytes(int[] shape, ByteBuffer bytes, DType dtype, TensorBytes.NonFinite nonFinite) {
		if (!bytes.hasArray() || bytes.isReadOnly()) {
			throw new IllegalArgumentException("Owned bytes are a writable heap buffer");
		}
		return new Tensor(shape, bytes, dtype, nonFinite, -1, true);
	}

	/**
	 * Creates a float64 tensor over values that nothing else reads or writes, such as
	 * those a JSON reader parsed: a kernel that consumes it may write its answer into
	 * them ({@link #lendValues}).
	 * @param shape the dimensions, outermost first; empty for a scalar
	 * @param values the values in row-major order, as many as the shape holds
	 * @return the tensor
	 */
	public static Tensor ofOwnedValues(int[] shape, double[] values) {
		return new Tensor(shape, values, DType.FLOAT64, true);
	}

	/**
	 * Creates a tensor over raw IEEE 754 values whose CRC-32 was computed as they were
	 * copied ({@link Nd4jTensors#toBytes}), so that a binary writer need not read them
	 * once more for it.
	 * @param shape the dimensions, outermost first; empty for a scalar
	 * @param bytes the values in little-endian order
	 * @param dtype the type of the values
	 * @param crc32 the CRC-32 of the bytes, from position to limit
	 * @return the tensor
	 */
	static Tensor ofChecksummedBytes(int[] shape, ByteBuffer bytes, DType dtype, long crc32) {
		if (bytes.order() != ByteOrder.LITTLE_ENDIAN) {
			throw new IllegalArgumentException("The binary formats write little-endian bytes");
		}
		return new Tensor(shape, bytes, dtype, null, crc32, false);
	}

	/**
	 * Creates a float64 tensor.
	 * @param shape the dimensions
	 * @param values the values in row-major order
	 * @return the tensor
	 */
	public static Tensor of(int[] shape, double... values) {
		return new Tensor(shape, values, DType.FLOAT64);
	}

	/**
	 * Creates a float64 scalar.
	 * @param value the value
	 * @return a rank-0 tensor
	 */
	public static Tensor scalar(double value) {
		return new Tensor(new int[0], new double[] { value }, DType.FLOAT64);
	}

	public int rank() {
		return this.shape.length;
	}

	public int[] shape() {
		return this.shape.clone();
	}

	public long[] longShape() {
		return Arrays.stream(this.shape).asLongStream().toArray();
	}

	public int dim(int axis) {
		return this.shape[axis];
	}

	public int size() {
		return this.size;
	}

	public DType dtype() {
		return this.dtype;
	}

	public double get(int index) {
		double[] values = this.values;
		if (values != null) {
			return values[index];
		}
		ByteBuffer bytes = raw();
		return (this.dtype == DType.FLOAT32) ? bytes.getFloat(4 * index) : bytes.getDouble(8 * index);
	}

	/**
	 * The values as doubles, made from the raw bytes the first time they are asked for;
	 * shared, not copied: callers must not modify them.
	 * @return the values in row-major order
	 */
	public double[] values() {
		double[] values = this.values;
		if (values == null) {
			values = new double[this.size];
			ByteBuffer bytes = raw();
			TensorBytes.readFloats(bytes.duplicate().order(bytes.order()), width(this.dtype), values, null);
			this.values = values;
		}
		return values;
	}

	/**
	 * The raw bytes the tensor was made from, if it was made from bytes: float32 values
	 * for a float32 tensor, float64 values for a float64 one. Shared, not copied: callers
	 * must not modify them.
	 * @return a view in the bytes' order, or null
	 */
	public @Nullable ByteBuffer bytes() {
		if (this.bytes == null) {
			return null;
		}
		ByteBuffer bytes = raw();
		return bytes.duplicate().order(bytes.order());
	}

	/**
	 * Hands this tensor's bytes to the caller, once, for an answer computed from it, if
	 * the tensor owns them ({@link #ofOwnedBytes}) and its values are no longer needed.
	 * From then on the tensor's values are unreadable: asking for them throws.
	 * @return its bytes, writable, in the machine's byte order; or null if it has none it
	 * may lend
	 */
	@Nullable ByteBuffer lendBytes() {
		ByteBuffer bytes = this.bytes;
		if (!this.owned || this.lent || bytes == null) {
			return null;
		}
		this.lent = true;
		this.values = null;
		return bytes.duplicate().order(ByteOrder.nativeOrder());
	}

	/**
	 * Hands this tensor's values to the caller, once, for an answer computed from it, if
	 * the tensor owns them ({@link #ofOwnedValues}), they are as many as wanted and its
	 * values are no longer needed. From then on the tensor's values are unreadable:
	 * asking for them throws.
	 * @param count how many values the answer has
	 * @return its values, writable; or null if it has none it may lend
	 */
	double @Nullable [] lendValues(int count) {
		double[] values = this.values;
		if (!this.owned || this.lent || this.bytes != null || values == null || values.length != count) {
			return null;
		}
		this.lent = true;
		this.values = null;
		return values;
	}

	/** The bytes, unless they were lent. */
	private ByteBuffer raw() {
		ByteBuffer bytes = this.bytes;
		if (bytes == null || this.lent) {
			throw new IllegalStateException("This tensor's values were overwritten by an answer computed from it");
		}
		return bytes;
	}

	/**
	 * The index of the first element equal to a value.
	 * @param value a value, not NaN
	 * @return the index, or -1
	 */
	public int indexOf(double value) {
		TensorBytes.NonFinite known = this.nonFinite;
		if (known != null && Double.isInfinite(value)) {
			return known.first(value);
		}
		ByteBuffer raw = bytes();
		if (raw == null) {
			double[] values = values();
			for (int i = 0; i < values.length; i++) {
				if (values[i] == value) {
					return i;
				}
			}
			return -1;
		}
		return TensorBytes.indexOf(raw, width(this.dtype), value);
	}

	/**
	 * The CRC-32 of the little-endian bytes a binary format writes for this tensor
	 * ({@link TensorBytes#write}): known if the tensor was copied out of ND4J, else
	 * computed the first time it is asked for.
	 * @return the checksum, as {@link CRC32#getValue} gives it
	 */
	public long crc32() {
		if (this.lent) {
			raw();
		}
		long crc = this.crc32;
		if (crc < 0) {
			CRC32 checksum = new CRC32();
			try {
				TensorBytes.write(this, null, checksum);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			crc = checksum.getValue();
			this.crc32 = crc;
		}
		return crc;
	}

	private static int width(DType dtype) {
		return (dtype == DType.FLOAT32) ? Float.BYTES : Double.BYTES;
	}

	/**
	 * Returns this tensor in another dtype, with its values rounded to the new type
	 * ({@link DType#round}). This tensor is left unchanged: the rounded values are a
	 * copy, so a tensor may be shared by several callers.
	 * @param target the dtype wanted
	 * @return this tensor if it has that dtype, else a new tensor
	 */
	public Tensor as(DType target) {
		if (target == this.dtype) {
			return this;
		}
		double[] converted = values();
		if (target == DType.FLOAT32) {
			double[] values = converted;
			converted = new double[values.length];
			for (int i = 0; i < converted.length; i++) {
				converted[i] = target.round(values[i]);
			}
		}
		return new Tensor(this.shape, converted, target);
	}

	/**
	 * The position of one element along every axis.
	 * @param index the element's row-major index
	 * @return its coordinates, outermost first
	 */
	public int[] coordinates(int index) {
		return coordinates(this.shape, index);
	}

	private static int[] coordinates(int[] shape, int index) {
		int[] position = new int[shape.length];
		int rest = index;
		for (int axis = shape.length - 1; axis >= 0; axis--) {
			position[axis] = rest % shape[axis];
			rest /= shape[axis];
		}
		return position;
	}

	/**
	 * The RFC 6901 pointer to one element, below the pointer of the tensor itself.
	 * @param root the pointer to the tensor, e.g. {@code /logits}
	 * @param index the element's row-major index
	 * @return e.g. {@code /logits/1/2}
	 */
	public String pointer(String root, int index) {
		return pointer(this.shape, root, index);
	}

	/**
	 * The RFC 6901 pointer to one element of a tensor of some shape.
	 * @param shape the tensor's shape
	 * @param root the pointer to the tensor, e.g. {@code /logits}
	 * @param index the element's row-major index
	 * @return e.g. {@code /logits/1/2}
	 */
	public static String pointer(int[] shape, String root, int index) {
		StringBuilder pointer = new StringBuilder(root);
		for (int coordinate : coordinates(shape, index)) {
			pointer.append('/').append(coordinate);
		}
		return pointer.toString();
	}

	/**
	 * The number of elements a shape holds.
	 * @param shape the dimensions
	 * @return their product (1 for a scalar), or {@link Long#MAX_VALUE} if it would be
	 * larger
	 */
	public static long elementCount(int[] shape) {
		long count = 1;
		for (int dim : shape) {
			// Below 2^31 times an int the product cannot overflow: no division for the
			// shapes of real tensors.
			count = (count > Integer.MAX_VALUE && dim > 0 && count > Long.MAX_VALUE / dim) ? Long.MAX_VALUE
					: count * dim;
		}
		return count;
	}

	@Override
	public String toString() {
		return "Tensor" + Arrays.toString(this.shape) + " " + this.dtype;
	}

}
