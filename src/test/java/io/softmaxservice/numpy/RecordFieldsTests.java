package io.softmaxservice.numpy;

import io.softmaxservice.crossentropy.CrossEntropyResponse;
import io.softmaxservice.softmax.SoftmaxRequest;
import io.softmaxservice.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RecordFields}: which types the binary formats bind and write, and the tensors of
 * a response record by their JSON names.
 */
class RecordFieldsTests {

	record Scalars(int axis, String name) {
	}

	@Test
	void onlyRecordsWithATensorFieldHaveTensors() {
		assertThat(RecordFields.hasTensors(SoftmaxRequest.class)).isTrue();
		assertThat(RecordFields.hasTensors(CrossEntropyResponse.class)).isTrue();
		assertThat(RecordFields.hasTensors(Scalars.class)).isFalse();
		assertThat(RecordFields.hasTensors(Tensor.class)).isFalse();
		assertThat(RecordFields.hasTensors(String.class)).isFalse();
		// Asked again, from the cache: the same answers.
		assertThat(RecordFields.hasTensors(SoftmaxRequest.class)).isTrue();
		assertThat(RecordFields.hasTensors(Scalars.class)).isFalse();
	}

	@Test
	void tensorsOfAResponseAreItsNonNullTensorFieldsByJsonName() {
		Tensor loss = Tensor.scalar(0.5);
		CrossEntropyResponse response = new CrossEntropyResponse(loss, null);
		assertThat(RecordFields.of(CrossEntropyResponse.class).tensors(response)).containsOnlyKeys("loss")
			.containsEntry("loss", loss);
	}

}
