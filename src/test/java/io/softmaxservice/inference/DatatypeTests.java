package io.softmaxservice.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binary tensor data as the protocol lays it out: little-endian, native sizes, BOOL one
 * byte.
 */
class DatatypeTests {

	@Test
	void decodeReadsLittleEndianValuesOfEachType() {
		assertThat(decode(Datatype.FP32, 8, (b) -> b.putFloat(1.5f).putFloat(-0.1f))).containsExactly(1.5,
				(double) -0.1f);
		assertThat(decode(Datatype.FP64, 8, (b) -> b.putDouble(-1e300))).containsExactly(-1e300);
		assertThat(decode(Datatype.FP16, 4, (b) -> b.putShort((short) 0x3C00).putShort((short) 0xC000)))
			.containsExactly(1, -2);
		assertThat(decode(Datatype.BOOL, 3, (b) -> b.put((byte) 1).put((byte) 0).put((byte) 1))).containsExactly(1, 0,
				1);
		assertThat(decode(Datatype.INT8, 2, (b) -> b.put((byte) -100).put((byte) 7))).containsExactly(-100, 7);
		assertThat(decode(Datatype.UINT8, 1, (b) -> b.put((byte) 0xFF))).containsExactly(255);
		assertThat(decode(Datatype.INT16, 2, (b) -> b.putShort((short) -300))).containsExactly(-300);
		assertThat(decode(Datatype.UINT16, 2, (b) -> b.putShort((short) 0xFFFF))).containsExactly(65535);
		assertThat(decode(Datatype.INT32, 4, (b) -> b.putInt(-100))).containsExactly(-100);
		assertThat(decode(Datatype.UINT32, 4, (b) -> b.putInt(0xFFFFFFFF))).containsExactly(4294967295.0);
		assertThat(decode(Datatype.INT64, 8, (b) -> b.putLong(-5))).containsExactly(-5);
		assertThat(decode(Datatype.UINT64, 8, (b) -> b.putLong(-1))).containsExactly(0x1p64);
	}

	@Test
	void decodeFindsTheFirstNaNOfFloatingPointData() {
		ByteBuffer fp32 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
		fp32.putFloat(1).putFloat(Float.NaN).putFloat(Float.NaN);
		assertThat(Datatype.FP32.decode(fp32.flip(), new double[3])).isEqualTo(1);
		ByteBuffer fp16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
		fp16.putShort((short) 0x3C00).putShort((short) 0x7E00);
		assertThat(Datatype.FP16.decode(fp16.flip(), new double[2])).isEqualTo(1);
	}

	private static double[] decode(Datatype type, int bytes, java.util.function.Consumer<ByteBuffer> fill) {
		ByteBuffer buffer = ByteBuffer.allocate(bytes + 2).order(ByteOrder.LITTLE_ENDIAN);
		buffer.put((byte) 9);
		fill.accept(buffer);
		double[] values = new double[bytes / type.size()];
		assertThat(type.decode(ByteBuffer.wrap(buffer.array(), 1, bytes), values)).isEqualTo(-1);
		return values;
	}

}
