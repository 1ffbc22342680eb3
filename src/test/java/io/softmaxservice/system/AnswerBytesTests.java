package io.softmaxservice.system;

import java.util.List;
import java.util.Map;

import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AnswerBytes}: 8 bytes per tensor element, wherever the answer holds its tensors.
 */
class AnswerBytesTests {

	private static final Tensor THREE = Tensor.of(new int[] { 3 }, 1, 2, 3);

	@Test
	void ofCountsEveryTensorOfARecord() {
		assertThat(AnswerBytes.of(new Pair(THREE, Tensor.scalar(1)))).isEqualTo(32);
		assertThat(AnswerBytes.of(new Pair(THREE, null))).isEqualTo(24);
	}

	@Test
	void ofCountsTensorsInNestedRecordsListsAndMaps() {
		Outputs outputs = new Outputs("model", List.of(new Output("a", THREE), new Output("b", THREE)),
				Map.of("c", THREE));
		assertThat(AnswerBytes.of(outputs)).isEqualTo(72);
	}

	@Test
	void ofAnythingWithoutTensorsIsZero() {
		assertThat(AnswerBytes.of(null)).isZero();
		assertThat(AnswerBytes.of("text")).isZero();
		assertThat(AnswerBytes.of(Map.of("live", true))).isZero();
		assertThat(AnswerBytes.of(new Output("a", null))).isZero();
	}

	@Test
	void ofStopsAFewLevelsDown() {
		Object deep = new Output("0", THREE);
		for (int level = 0; level < 10; level++) {
			deep = List.of(deep);
		}
		assertThat(AnswerBytes.of(deep)).isZero();
		assertThat(AnswerBytes.of(List.of(List.of(new Output("0", THREE))))).isEqualTo(24);
	}

	record Pair(Tensor first, Tensor second) {

	}

	record Output(String name, Tensor data) {

	}

	private record Outputs(String model, List<Output> outputs, Map<String, Tensor> extra) {

	}

}
