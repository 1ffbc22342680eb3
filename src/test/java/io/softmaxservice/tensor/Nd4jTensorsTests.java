package io.softmaxservice.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link Nd4jTensors}: one copy each way, row-major whatever the array's layout.
 */
class Nd4jTensorsTests {

	@Test
	void roundTripKeepsShapeValuesAndDtype() {
		Tensor tensor = new Tensor(new int[] { 2, 3 }, new double[] { 1, 2, 3, 4, 5, 6 }, DType.FLOAT32);
		try (INDArray array = Nd4jTensors.toArray(tensor)) {
			assertThat(array.shape()).containsExactly(2, 3);
			assertThat(array.getDouble(1, 0)).isEqualTo(4);
			Tensor back = Nd4jTensors.toTensor(array, tensor.dtype());
			assertThat(back.shape()).containsExactly(2, 3);
			assertThat(back.values()).containsExactly(1, 2, 3, 4, 5, 6);
			assertThat(back.dtype()).isEqualTo(DType.FLOAT32);
		}
	}

	@Test
	void viewReadsAndWritesTheArraysOwnMemory() {
		Tensor tensor = Tensor.of(new int[] { 2, 3 }, 1, 2, 3, 4, 5, 6);
		try (INDArray array = Nd4jTensors.toArray(tensor)) {
			java.nio.DoubleBuffer view = Nd4jTensors.view(array);
			assertThat(view.capacity()).isEqualTo(6);
			assertThat(view.get(5)).isEqualTo(6);
			view.put(4, -5);
			assertThat(array.getDouble(1, 1)).isEqualTo(-5);
		}
	}

	@Test
	void viewRefusesAViewAnFOrderedArrayAndOtherTypes() {
		try (INDArray array = Nd4j.create(DataType.DOUBLE, 3, 4);
				INDArray f = Nd4j.create(DataType.DOUBLE, new long[] { 3, 4 }, 'f');
				INDArray floats = Nd4j.create(DataType.FLOAT, 3, 4)) {
			assertThatIllegalArgumentException().isThrownBy(() -> Nd4jTensors.view(array.get(NDArrayIndex.point(1))));
			assertThatIllegalArgumentException().isThrownBy(() -> Nd4jTensors.view(f));
			assertThatIllegalArgumentException().isThrownBy(() -> Nd4jTensors.view(floats));
		}
	}

	@Test
	void largeTensorIsCopiedInExactlyIntoUninitialisedMemory() {
		double[] values = new double[3 * 5 * 7001];
		java.util.Random random = new java.util.Random(5);
		for (int i = 0; i < values.length; i++) {
			values[i] = random.nextGaussian() * 1e3;
		}
		values[17] = Double.NEGATIVE_INFINITY;
		values[values.length - 1] = -0.0;
		try (INDArray array = Nd4jTensors.toArray(new Tensor(new int[] { 3, 5, 7001 }, values, DType.FLOAT64))) {
			assertThat(array.dataType()).isEqualTo(DataType.DOUBLE);
			assertThat(array.ordering()).isEqualTo('c');
			assertThat(array.shape()).containsExactly(3, 5, 7001);
			assertThat(array.getDouble(2, 4, 7000)).isEqualTo(-0.0);
			assertThat(array.getDouble(0, 0, 17)).isEqualTo(Double.NEGATIVE_INFINITY);
			assertThat(array.getDouble(1, 2, 3)).isEqualTo(values[(1 * 5 + 2) * 7001 + 3]);
			assertThat(Nd4jTensors.toTensor(array, DType.FLOAT64).values()).containsExactly(values);
		}
	}

	@Test
	void arraysOverUninitialisedMemoryComputeLikeNd4jsOwnAndFreeItWhenClosed() {
		double[] values = new double[4 * 5001];
		for (int i = 0; i < values.length; i++) {
			values[i] = Math.sin(i) * 10;
		}
		Tensor tensor = Tensor.of(new int[] { 4, 5001 }, values);
		long before = org.bytedeco.javacpp.Pointer.totalBytes();
		INDArray array = Nd4jTensors.toArray(tensor);
		assertThat(org.bytedeco.javacpp.Pointer.totalBytes() - before).isGreaterThanOrEqualTo(8L * values.length);
		try (INDArray expected = Nd4j.create(values, new long[] { 4, 5001 }, DataType.DOUBLE)) {
			assertThat(array.sum(1).toDoubleVector()).containsExactly(expected.sum(1).toDoubleVector());
			array.muli(2).addi(expected);
			assertThat(array.getDouble(3, 5000)).isEqualTo(3 * values[values.length - 1]);
		}
		array.close();
		assertThat(array.wasClosed()).isTrue();
		assertThat(org.bytedeco.javacpp.Pointer.totalBytes() - before).isLessThan(8L * values.length);
	}

	@ParameterizedTest
	@CsvSource({ "FLOAT64, 3", "FLOAT64, 3001", "FLOAT32, 3", "FLOAT32, 3001" })
	void toBytesChecksumsTheBytesItCopiesOut(DType dtype, int columns) {
		double[] values = new double[5 * columns];
		java.util.Random random = new java.util.Random(11);
		for (int i = 0; i < values.length; i++) {
			values[i] = random.nextGaussian() * 1e3;
		}
		values[1] = Double.NEGATIVE_INFINITY;
		try (INDArray array = Nd4jTensors.toArray(Tensor.of(new int[] { 5, columns }, values))) {
			Tensor out = Nd4jTensors.toBytes(array, dtype);
			assertThat(out.shape()).containsExactly(5, columns);
			for (int i = 0; i < values.length; i++) {
				assertThat(out.get(i)).isEqualTo(dtype.round(values[i]));
			}
			java.util.zip.CRC32 crc = new java.util.zip.CRC32();
			crc.update(out.bytes());
			assertThat(out.crc32()).isEqualTo(crc.getValue());
		}
	}

	@ParameterizedTest
	@CsvSource({ "FLOAT64, LITTLE_ENDIAN", "FLOAT64, BIG_ENDIAN", "FLOAT32, LITTLE_ENDIAN", "FLOAT32, BIG_ENDIAN" })
	void toBytesWritesIntoTheBytesItsLenderOwns(DType dtype, String order) {
		int count = 5 * 3001;
		int width = (dtype == DType.FLOAT64) ? 8 : 4;
		ByteBuffer body = ByteBuffer.allocate(3 + count * width)
			.order(order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		body.position(3);
		java.util.Random random = new java.util.Random(5);
		double[] values = new double[count];
		for (int i = 0; i < count; i++) {
			values[i] = dtype.round(random.nextGaussian() * 1e3);
			if (dtype == DType.FLOAT64) {
				body.putDouble(values[i]);
			}
			else {
				body.putFloat((float) values[i]);
			}
		}
		body.position(3);
		Tensor lender = Tensor.ofOwnedBytes(new int[] { 5, 3001 }, body, dtype,
				TensorBytes.checkFloats(body, width, null));
		try (INDArray array = Nd4jTensors.toArray(lender)) {
			array.muli(-2);
			Tensor out = Nd4jTensors.toAnswer(array, dtype, lender);
			ByteBuffer written = out.bytes();
			assertThat(written.array()).isSameAs(body.array());
			assertThat(written.arrayOffset() + written.position()).isEqualTo(3);
			for (int i = 0; i < count; i++) {
				assertThat(out.get(i)).isEqualTo(dtype.round(-2 * values[i]));
			}
			java.util.zip.CRC32 crc = new java.util.zip.CRC32();
			crc.update(out.bytes());
			assertThat(out.crc32()).isEqualTo(crc.getValue());
			assertThatIllegalStateException().isThrownBy(() -> lender.get(0));
		}
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(DType.class)
	void toAnswerCopiesIntoTheValuesItsLenderOwns(DType dtype) {
		java.util.Random random = new java.util.Random(6);
		double[] values = new double[2 * 3001];
		for (int i = 0; i < values.length; i++) {
			values[i] = random.nextGaussian() * 1e3;
		}
		double[] expected = values.clone();
		Tensor lender = Tensor.ofOwnedValues(new int[] { 2, 3001 }, values);
		try (INDArray array = Nd4jTensors.toArray(lender)) {
			array.muli(-2);
			Tensor out = Nd4jTensors.toAnswer(array, dtype, lender);
			assertThat(out.values()).isSameAs(values);
			assertThat(out.shape()).containsExactly(2, 3001);
			assertThat(out.dtype()).isEqualTo(dtype);
			assertThat(out.bytes()).isNull();
			for (int i = 0; i < expected.length; i++) {
				assertThat(out.get(i)).isEqualTo(dtype.round(-2 * expected[i]));
			}
			assertThatIllegalStateException().isThrownBy(() -> lender.get(0));
		}
	}

	@Test
	void toAnswerAllocatesWhenTheLendersValuesAreNotTheAnswersNumber() {
		Tensor lender = Tensor.ofOwnedValues(new int[] { 4 }, new double[] { 1, 2, 3, 4 });
		try (INDArray array = Nd4jTensors.toArray(lender)) {
			Tensor out = Nd4jTensors.toAnswer(array.get(NDArrayIndex.interval(0, 2)), DType.FLOAT64, lender);
			assertThat(out.values()).containsExactly(1, 2);
			assertThat(lender.values()).containsExactly(1, 2, 3, 4);
		}
	}

	@Test
	void toBytesAllocatesWhenTheLendersBytesAreNotTheAnswersLength() {
		ByteBuffer body = ByteBuffer.allocate(4 * 8).order(ByteOrder.LITTLE_ENDIAN);
		body.putDouble(1).putDouble(2).putDouble(3).putDouble(4).flip();
		Tensor lender = Tensor.ofOwnedBytes(new int[] { 4 }, body, DType.FLOAT64,
				TensorBytes.checkFloats(body, 8, null));
		try (INDArray array = Nd4jTensors.toArray(lender)) {
			Tensor out = Nd4jTensors.toAnswer(array, DType.FLOAT32, lender);
			assertThat(out.values()).containsExactly(1, 2, 3, 4);
			assertThat(out.bytes().array()).isNotSameAs(body.array());
			assertThat(lender.values()).containsExactly(1, 2, 3, 4);
			assertThat(lender.lendBytes()).isNotNull();
		}
	}

	@ParameterizedTest
	@CsvSource({ "FLOAT64, LITTLE_ENDIAN", "FLOAT64, BIG_ENDIAN", "FLOAT32, LITTLE_ENDIAN", "FLOAT32, BIG_ENDIAN" })
	void tensorOfBytesIsCopiedInFromItsBytes(DType dtype, String order) {
		int count = 3 * 7001;
		ByteBuffer bytes = ByteBuffer.allocate(5 + count * 8)
			.order(order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		bytes.position(5);
		double[] values = new double[count];
		java.util.Random random = new java.util.Random(9);
		for (int i = 0; i < count; i++) {
			values[i] = dtype.round(random.nextGaussian() * 1e3);
			if (dtype == DType.FLOAT32) {
				bytes.putFloat((float) values[i]);
			}
			else {
				bytes.putDouble(values[i]);
			}
		}
		bytes.limit(bytes.position()).position(5);
		Tensor tensor = Tensor.ofBytes(new int[] { 3, 7001 }, bytes, dtype);
		try (INDArray array = Nd4jTensors.toArray(tensor)) {
			assertThat(array.shape()).containsExactly(3, 7001);
			assertThat(array.getDouble(2, 7000)).isEqualTo(values[count - 1]);
			assertThat(Nd4jTensors.toTensor(array, dtype).values()).containsExactly(values);
		}
	}

	@Test
	void scalarRoundTrips() {
		try (INDArray array = Nd4jTensors.toArray(Tensor.scalar(2.5))) {
			Tensor back = Nd4jTensors.toTensor(array, DType.FLOAT64);
			assertThat(back.rank()).isZero();
			assertThat(back.values()).containsExactly(2.5);
		}
	}

	@Test
	void viewIsCopiedOutAsItsOwnElementsOnly() {
		try (INDArray array = Nd4j.create(new double[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 }, 'c')) {
			INDArray column = array.get(NDArrayIndex.all(), NDArrayIndex.point(1));
			assertThat(column.isView()).isTrue();
			assertThat(Nd4jTensors.toTensor(column, DType.FLOAT64).values()).containsExactly(2, 5);
		}
	}

	@Test
	void columnMajorArrayIsReadInRowMajorOrder() {
		try (INDArray array = Nd4j.create(new double[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 }, 'c').dup('f')) {
			assertThat(array.ordering()).isEqualTo('f');
			Tensor tensor = Nd4jTensors.toTensor(array, DType.FLOAT64);
			assertThat(tensor.shape()).containsExactly(2, 3);
			assertThat(tensor.values()).containsExactly(1, 2, 3, 4, 5, 6);
		}
	}

	@Test
	void nonDoubleArrayIsRefused() {
		try (INDArray array = Nd4j.create(DataType.FLOAT, 2)) {
			assertThatIllegalArgumentException().isThrownBy(() -> Nd4jTensors.toTensor(array, DType.FLOAT32));
		}
	}

}
