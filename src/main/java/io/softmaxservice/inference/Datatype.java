package io.softmaxservice.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
	 * class index reaches.
	 * @param bytes the tensor's bytes, exactly {@code count * size()} of them
	 * @param count the number of elements
	 * @return the values
	 */
	double[] decode(ByteBuffer bytes, int count) {
		ByteBuffer in = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
		double[] values = new double[count];
		switch (this) {
			case FP64 -> in.asDoubleBuffer().get(values);
			case FP32 -> {
				// A bulk copy (a plain memory copy on little-endian hardware), then a
				// widening loop the JIT vectorises.
				float[] floats = new float[count];
				in.asFloatBuffer().get(floats);
				for (int i = 0; i < count; i++) {
					values[i] = floats[i];
				}
			}
			case FP16 -> {
				for (int i = 0; i < count; i++) {
					values[i] = halfToFloat(in.getShort(i << 1));
				}
			}
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
			case BYTES -> throw new IllegalStateException("BYTES tensors are not read");
		}
		return values;
	}

	/**
	 * An IEEE 754 binary16 value as a float, exactly: the exponent is rebiased from 15 to
	 * 127 and the 10-bit fraction shifted into the float's 23 bits; subnormal halves
	 * ({@code 2^-24} steps) are scaled, infinities and NaN keep their kind.
	 * @param bits the half's bits
	 * @return its value
	 */
	static float halfToFloat(short bits) {
		int sign = (bits & 0x8000) << 16;
		int exponent = (bits >>> 10) & 0x1f;
		int fraction = bits & 0x3ff;
		if (exponent == 0) {
			float magnitude = fraction * 0x1p-24f;
			return (sign != 0) ? -magnitude : magnitude;
		}
		if (exponent == 0x1f) {
			return Float.intBitsToFloat(sign | 0x7f800000 | (fraction << 13));
		}
		return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (fraction << 13));
	}

}
