package io.softmaxservice.tensor;

import java.util.StringJoiner;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TensorReader} past its initial buffer of 1024 elements, with the default element
 * limit.
 */
@JsonTest
class TensorReaderCapacityTests {

	@Autowired
	private JsonMapper json;

	@Test
	void readsMoreElementsThanTheInitialBufferHolds() {
		int rows = 50;
		int columns = 61;
		StringJoiner outer = new StringJoiner(",", "[", "]");
		for (int r = 0; r < rows; r++) {
			StringJoiner row = new StringJoiner(",", "[", "]");
			for (int c = 0; c < columns; c++) {
				row.add(Integer.toString(r * columns + c));
			}
			outer.add(row.toString());
		}
		Tensor tensor = this.json.readValue("{\"t\": " + outer + "}", Holder.class).t();
		assertThat(tensor.shape()).containsExactly(rows, columns);
		assertThat(tensor.size()).isEqualTo(3050);
		for (int i = 0; i < tensor.size(); i++) {
			assertThat(tensor.get(i)).isEqualTo(i);
		}
	}

	record Holder(Tensor t) {
	}

}
