package io.softmaxservice.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.softmaxservice.tensor.TensorBytes;
import org.jspecify.annotations.Nullable;

/**
 * The protocol's tensor element types that this service reads, with their size in the
 * binary tensor data extension (little-endian, no padding; BOOL one byte 0 or 1).
 */
enum Datatype {

	BOOL(1), UINT8(1), UINT16(2), UINT32(4), UINT64(8), INT8(1), INT16(2), INT32(4), INT64(8), FP16(2), FP32(4),
	FP64(8), BYTES(0);

	private final int size;

	Datatype(int size) {
		this.size = size;
	}

	/**
	 * The element type of a protocol name, e.g. {@code "FP32"}.
	 * @param name the name as the protocol writes it (case-sensitive)
	 * @return the type, or null if the protocol has no such type
	 */
	static @Nullable Datatype of(String name) {
		for (Datatype type : values()) {
			if (type.name().equals(name)) {
				return type;
			}
		}
		return null;
	}

	/** The size of one element in binary form, in bytes. */
	int size() {
		return this.size;
	}

	boolean isFloat() {
		return this == FP16 || this == FP32 || this == FP64;
	}

	boolean isInteger() {
		return this != BOOL && this != BYTES && !isFloat();
	}

	/**
	 * Decodes binary tensor data, little-endian and row-major, into doubles: every type
	 * this service reads is exact in a double except 64-bit integers above 2^53, which no
	 * class index reaches. Floating-point values are converted in bulk, and checked for
	 * NaN in the same pass.
	 * @param bytes the tensor's bytes, exactly {@code values.length * size()} of them
	 * @param values where to put the values
	 * @return the index of the first NaN, or -1 if there is none
	 */
	int decode(ByteBuffer bytes, double[] values) {
		ByteBuffer in = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
		if (isFloat()) {
			return TensorBytes.readFloats(in, this.size, values, null);
		}
		int count = values.length;
		switch (this) {
			case BOOL, UINT8 -> {
				for (int i = 0; i < count; i++) {
					values[i] = Byte.toUnsignedInt(in.get(i));
				}
			}
			case INT8 -> {
				for (int i = 0; i < count; i++) {
					values[i] = in.get(i);
				}
			}
			case UINT16 -> {
				for (int i = 0; i < count; i++) {
					values[i] = Short.toUnsignedInt(in.getShort(i << 1));
				}
			}
			case INT16 -> {
				for (int i = 0; i < count; i++) {
					values[i] = in.getShort(i << 1);
				}
			}
			case UINT32 -> {
				for (int i = 0; i < count; i++) {
					values[i] = Integer.toUnsignedLong(in.getInt(i << 2));
				}
			}
			case INT32 -> {
				for (int i = 0; i < count; i++) {
					values[i] = in.getInt(i << 2);
				}
			}
			case UINT64 -> {
				for (int i = 0; i < count; i++) {
					long v = in.getLong(i << 3);
					values[i] = (v >= 0) ? v : 0x1p64 + v;
				}
			}
			case INT64 -> {
				for (int i = 0; i < count; i++) {
					values[i] = in.getLong(i << 3);
				}
			}
			default -> throw new IllegalStateException(this + " tensors are not read");
		}
		return -1;
	}

}
