package io.softmaxservice.tensor;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
