package io.softmaxservice.numpy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.zip.CRC32;

import io.softmaxservice.numpy.NpyHeader.Kind;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.Nd4jTensors;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes {@code .npy} files byte for byte as {@code numpy.save} does.
 */
class NpyWriterTests {

	@Test
	void headersAreThoseNumpyWrites() {
		for (JsonNode expected : NumpyFixtures.EXPECTED.get("headers")) {
			int[] shape = new int[expected.get("shape").size()];
			for (int d = 0; d < shape.length; d++) {
				shape[d] = expected.get("shape").get(d).asInt();
			}
			DType dtype = expected.get("descr").asString().equals("<f4") ? DType.FLOAT32 : DType.FLOAT64;
			assertThat(new String(NpyWriter.header(shape, dtype), StandardCharsets.ISO_8859_1))
				.as("shape %s %s", expected.get("shape"), dtype)
				.isEqualTo(expected.get("header").asString());
		}
	}

	@Test
	void writesTheBytesNumpySaveWrites() throws IOException {
		byte[] numpy = NumpyFixtures.bytes("f8_le.npy");
		Tensor tensor = new Tensor(NumpyFixtures.shape("f8_le.npy"), NumpyFixtures.values("f8_le.npy"), DType.FLOAT64);
		assertThat(write(tensor)).isEqualTo(numpy);
		assertThat(NpyWriter.size(tensor)).isEqualTo(numpy.length);
	}

	@Test
	void writesFloat32TensorsAsLittleEndianFloat32() throws IOException {
		byte[] numpy = NumpyFixtures.bytes("f4_le.npy");
		Tensor tensor = new Tensor(NumpyFixtures.shape("f4_le.npy"), NumpyFixtures.values("f4_le.npy"), DType.FLOAT32);
		assertThat(write(tensor)).isEqualTo(numpy);
	}

	@Test
	void writesZeroDimensionalAndLargeTensorsThatReadBack() throws IOException {
		assertThat(write(Tensor.scalar(2.5))).isEqualTo(NumpyFixtures.bytes("f8_0d.npy"));
		double[] values = new double[200_000];
		for (int i = 0; i < values.length; i++) {
			values[i] = Math.sin(i) * 1e300;
		}
		values[7] = Double.NEGATIVE_INFINITY;
		Tensor tensor = new Tensor(new int[] { 400, 500 }, values, DType.FLOAT64);
		Tensor read = NpyReader.read(ByteBuffer.wrap(write(tensor)), "/logits", EnumSet.of(Kind.FLOAT), 200_000);
		assertThat(read.shape()).containsExactly(400, 500);
		assertThat(read.values()).containsExactly(values);
	}

	@Test
	void crcIsTheChecksumOfTheWrittenFileWhetherTheValuesKnowTheirsOrNot() throws IOException {
		double[] values = new double[3 * 5000];
		for (int i = 0; i < values.length; i++) {
			values[i] = Math.cos(i) * 1e5;
		}
		for (DType dtype : DType.values()) {
			Tensor tensor = new Tensor(new int[] { 3, 5000 }, values, dtype);
			try (INDArray array = Nd4jTensors.toArray(tensor)) {
				Tensor copied = Nd4jTensors.toBytes(array, dtype);
				for (Tensor written : new Tensor[] { tensor, copied }) {
					CRC32 crc = new CRC32();
					crc.update(write(written));
					assertThat(NpyWriter.crc(written)).as("%s", dtype).isEqualTo(crc.getValue());
				}
			}
		}
	}

	private static byte[] write(Tensor tensor) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		NpyWriter.write(tensor, out);
		return out.toByteArray();
	}

}
