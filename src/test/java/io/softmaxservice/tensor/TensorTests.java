package io.softmaxservice.tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link Tensor}, {@link Slices} and the shared checks of {@link TensorChecks}.
 */
class TensorTests {

	@Test
	void elementCountSaturatesInsteadOfWrapping() {
		assertThat(Tensor.elementCount(new int[0])).isOne();
		assertThat(Tensor.elementCount(new int[] { 2, 3, 4 })).isEqualTo(24);
		assertThat(Tensor.elementCount(new int[] { 2147483647, 2147483647 })).isEqualTo(4611686014132420609L);
		assertThat(Tensor.elementCount(new int[] { 65536, 65536, 65536, 65536 })).isEqualTo(Long.MAX_VALUE);
		assertThat(Tensor.elementCount(new int[] { 65536, 65536, 65536, 65536, 0 })).isZero();
		assertThat(Tensor.elementCount(new int[] { 2147483647, 2147483647, 3 })).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void pointerNamesEveryCoordinate() {
		Tensor tensor = Tensor.of(new int[] { 2, 3, 4 }, new double[24]);
		assertThat(tensor.pointer("/logits", 0)).isEqualTo("/logits/0/0/0");
		assertThat(tensor.pointer("/logits", 23)).isEqualTo("/logits/1/2/3");
		assertThat(tensor.pointer("/logits", 13)).isEqualTo("/logits/1/0/1");
	}

	@Test
	void tensorOfFloat64BytesReadsThemInTheirByteOrder() {
		ByteBuffer bytes = ByteBuffer.allocate(8 + 6 * 8).order(ByteOrder.BIG_ENDIAN);
		bytes.putDouble(99);
		for (double value : new double[] { 1, -2.5, Double.NEGATIVE_INFINITY, 4, 5, -0.0 }) {
			bytes.putDouble(value);
		}
		Tensor tensor = Tensor.ofBytes(new int[] { 2, 3 }, bytes.position(8), DType.FLOAT64);
		assertThat(tensor.size()).isEqualTo(6);
		assertThat(tensor.get(2)).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(tensor.indexOf(Double.NEGATIVE_INFINITY)).isEqualTo(2);
		assertThat(tensor.indexOf(Double.POSITIVE_INFINITY)).isEqualTo(-1);
		assertThat(tensor.bytes().remaining()).isEqualTo(48);
		assertThat(tensor.bytes().order()).isEqualTo(ByteOrder.BIG_ENDIAN);
		assertThat(tensor.values()).containsExactly(1, -2.5, Double.NEGATIVE_INFINITY, 4, 5, -0.0);
		assertThat(tensor.get(5)).isEqualTo(-0.0);
	}

	@Test
	void tensorOfFloat32BytesHoldsFloats() {
		ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.1f).putFloat(1e30f).flip();
		Tensor tensor = Tensor.ofBytes(new int[] { 2 }, bytes, DType.FLOAT32);
		assertThat(tensor.get(0)).isEqualTo((double) 0.1f);
		assertThat(tensor.values()).containsExactly(0.1f, 1e30f);
		assertThat(tensor.as(DType.FLOAT64).values()).containsExactly(0.1f, 1e30f);
		assertThat(tensor.indexOf(1e30f)).isEqualTo(1);
	}

	@Test
	void tensorOfScannedBytesFindsItsInfinitiesFromTheScan() {
		ByteBuffer bytes = ByteBuffer.allocate(3 * 8).order(ByteOrder.LITTLE_ENDIAN);
		bytes.putDouble(Double.NEGATIVE_INFINITY).putDouble(Double.POSITIVE_INFINITY).putDouble(1).flip();
		TensorBytes.NonFinite found = TensorBytes.checkFloats(bytes, 8, null);
		Tensor tensor = Tensor.ofBytes(new int[] { 3 }, bytes, DType.FLOAT64, found);
		assertThat(tensor.indexOf(Double.POSITIVE_INFINITY)).isEqualTo(1);
		assertThat(tensor.indexOf(Double.NEGATIVE_INFINITY)).isEqualTo(0);
		assertThat(tensor.indexOf(1)).isEqualTo(2);
		// The scan is what answers, not a second look at the values.
		Tensor trusting = Tensor.ofBytes(new int[] { 3 }, bytes, DType.FLOAT64, new TensorBytes.NonFinite(-1, 2, -1));
		assertThat(trusting.indexOf(Double.POSITIVE_INFINITY)).isEqualTo(2);
	}

	@Test
	void ownedTensorLendsItsBytesOnceAndIsUnreadableAfterwards() {
		ByteBuffer bytes = ByteBuffer.allocate(8 + 2 * 8).order(ByteOrder.BIG_ENDIAN);
		bytes.putDouble(99).putDouble(1.5).putDouble(Double.NEGATIVE_INFINITY).position(8);
		Tensor tensor = Tensor.ofOwnedBytes(new int[] { 2 }, bytes, DType.FLOAT64,
				TensorBytes.checkFloats(bytes, 8, null));
		assertThat(tensor.values()).containsExactly(1.5, Double.NEGATIVE_INFINITY);
		ByteBuffer lent = tensor.lendBytes();
		assertThat(lent).isNotNull();
		assertThat(lent.array()).isSameAs(bytes.array());
		assertThat(lent.arrayOffset() + lent.position()).isEqualTo(8);
		assertThat(lent.remaining()).isEqualTo(16);
		assertThat(lent.order()).isEqualTo(ByteOrder.nativeOrder());
		assertThat(tensor.lendBytes()).isNull();
		assertThat(tensor.size()).isEqualTo(2);
		assertThat(tensor.shape()).containsExactly(2);
		assertThatIllegalStateException().isThrownBy(() -> tensor.get(0)).withMessageContaining("overwritten");
		assertThatIllegalStateException().isThrownBy(tensor::values);
		assertThatIllegalStateException().isThrownBy(tensor::bytes);
		assertThatIllegalStateException().isThrownBy(tensor::crc32);
		assertThatIllegalStateException().isThrownBy(() -> tensor.indexOf(1.5));
		assertThatIllegalStateException().isThrownBy(() -> tensor.as(DType.FLOAT32));
	}

	@Test
	void ownedValuesAreLentOnceForAnAnswerOfTheirNumberAndUnreadableAfterwards() {
		double[] values = { 1.5, Double.NEGATIVE_INFINITY, 3 };
		Tensor tensor = Tensor.ofOwnedValues(new int[] { 3 }, values);
		assertThat(tensor.dtype()).isEqualTo(DType.FLOAT64);
		assertThat(tensor.lendBytes()).isNull();
		assertThat(tensor.lendValues(2)).isNull();
		assertThat(tensor.values()).containsExactly(1.5, Double.NEGATIVE_INFINITY, 3);
		assertThat(tensor.lendValues(3)).isSameAs(values);
		assertThat(tensor.lendValues(3)).isNull();
		assertThat(tensor.size()).isEqualTo(3);
		assertThatIllegalStateException().isThrownBy(() -> tensor.get(0)).withMessageContaining("overwritten");
		assertThatIllegalStateException().isThrownBy(tensor::values);
		assertThatIllegalStateException().isThrownBy(tensor::crc32);
		assertThatIllegalStateException().isThrownBy(() -> tensor.indexOf(1.5));
		assertThatIllegalStateException().isThrownBy(() -> tensor.as(DType.FLOAT32));
	}

	@Test
	void tensorWhoseValuesAreNotOwnedLendsNothing() {
		assertThat(Tensor.of(new int[] { 1 }, 2).lendValues(1)).isNull();
		assertThat(new Tensor(new int[] { 1 }, new double[] { 2 }, DType.FLOAT32).lendValues(1)).isNull();
		Tensor converted = Tensor.ofOwnedValues(new int[] { 1 }, new double[] { 2 }).as(DType.FLOAT32);
		assertThat(converted.lendValues(1)).isNull();
		ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(2).flip();
		Tensor ownedBytes = Tensor.ofOwnedBytes(new int[] { 1 }, bytes, DType.FLOAT64,
				TensorBytes.checkFloats(bytes, 8, null));
		ownedBytes.values();
		assertThat(ownedBytes.lendValues(1)).isNull();
		assertThat(ownedBytes.get(0)).isEqualTo(2);
	}

	@Test
	void tensorWhoseBytesAreNotOwnedLendsNothing() {
		ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(2).flip();
		Tensor scanned = Tensor.ofBytes(new int[] { 1 }, bytes, DType.FLOAT64, TensorBytes.checkFloats(bytes, 8, null));
		assertThat(scanned.lendBytes()).isNull();
		assertThat(Tensor.ofBytes(new int[] { 1 }, bytes, DType.FLOAT64).lendBytes()).isNull();
		assertThat(Tensor.of(new int[] { 1 }, 2).lendBytes()).isNull();
		assertThat(scanned.get(0)).isEqualTo(2);
	}

	@Test
	void ownedBytesAreAWritableHeapBuffer() {
		ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(2).flip();
		TensorBytes.NonFinite found = TensorBytes.checkFloats(bytes, 8, null);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.ofOwnedBytes(new int[] { 1 }, bytes.asReadOnlyBuffer(), DType.FLOAT64, found));
		ByteBuffer direct = ByteBuffer.allocateDirect(8).putDouble(0, 2);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.ofOwnedBytes(new int[] { 1 }, direct, DType.FLOAT64, found));
	}

	@Test
	void tensorOfBytesTakesNoScanThatStoppedAtANaN() {
		ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(Double.NaN).flip();
		assertThatIllegalArgumentException().isThrownBy(
				() -> Tensor.ofBytes(new int[] { 1 }, bytes, DType.FLOAT64, TensorBytes.checkFloats(bytes, 8, null)));
	}

	@ParameterizedTest
	@CsvSource({ "FLOAT64, LITTLE_ENDIAN", "FLOAT64, BIG_ENDIAN", "FLOAT32, LITTLE_ENDIAN", "FLOAT32, BIG_ENDIAN" })
	void crc32IsTheChecksumOfTheLittleEndianBytesTheBinaryFormatsWrite(DType dtype, String order) throws IOException {
		double[] values = { 0.1, -2.5, Double.NEGATIVE_INFINITY, 1e30 };
		ByteBuffer bytes = ByteBuffer.allocate(4 * 8)
			.order(order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		for (double value : values) {
			if (dtype == DType.FLOAT32) {
				bytes.putFloat((float) value);
			}
			else {
				bytes.putDouble(value);
			}
		}
		bytes.flip();
		ByteArrayOutputStream written = new ByteArrayOutputStream();
		TensorBytes.writeFloats(values, dtype == DType.FLOAT32, written, null);
		CRC32 expected = new CRC32();
		expected.update(written.toByteArray());
		assertThat(Tensor.ofBytes(new int[] { 4 }, bytes, dtype).crc32()).isEqualTo(expected.getValue());
		assertThat(new Tensor(new int[] { 2, 2 }, values, dtype).crc32()).isEqualTo(expected.getValue());
	}

	@Test
	void tensorOfBytesMustHoldTheShape() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.ofBytes(new int[] { 2 }, ByteBuffer.allocate(12), DType.FLOAT64));
	}

	@Test
	void tensorOfValuesHasNoBytes() {
		assertThat(Tensor.of(new int[] { 1 }, 1).bytes()).isNull();
		assertThat(Tensor.of(new int[] { 3 }, 1, 2, Double.POSITIVE_INFINITY).indexOf(Double.POSITIVE_INFINITY))
			.isEqualTo(2);
	}

	@Test
	void shapeMustHoldTheValues() {
		assertThatIllegalArgumentException().isThrownBy(() -> Tensor.of(new int[] { 2, 2 }, 1, 2, 3));
	}

	@Test
	void float32RoundsValues() {
		Tensor tensor = Tensor.of(new int[] { 2 }, 0.1, 1e39).as(DType.FLOAT32);
		assertThat(tensor.values()).containsExactly((float) 0.1, Double.POSITIVE_INFINITY);
		assertThat(tensor.dtype()).isEqualTo(DType.FLOAT32);
	}

	@Test
	void asLeavesTheOriginalTensorUnchanged() {
		Tensor original = Tensor.of(new int[] { 2 }, 0.1, 0.2);
		Tensor rounded = original.as(DType.FLOAT32);
		assertThat(original.values()).containsExactly(0.1, 0.2);
		assertThat(original.dtype()).isEqualTo(DType.FLOAT64);
		assertThat(rounded.values()).isNotSameAs(original.values()).containsExactly((float) 0.1, (float) 0.2);
		assertThat(original.as(DType.FLOAT64)).isSameAs(original);
		assertThat(rounded.as(DType.FLOAT64).values()).containsExactly((float) 0.1, (float) 0.2);
	}

	@Test
	void dtypeDefaultsToThePointsDtype() {
		Tensor float32 = new Tensor(new int[] { 1 }, new double[] { 1 }, DType.FLOAT32);
		assertThat(DType.resolve(null, float32)).isEqualTo(DType.FLOAT32);
		assertThat(DType.resolve(null, Tensor.scalar(1))).isEqualTo(DType.FLOAT64);
		assertThat(DType.resolve(DType.FLOAT64, float32)).isEqualTo(DType.FLOAT64);
	}

	@Test
	void dtypeRulesDependOnTheType() {
		assertThat(DType.FLOAT32.isFinite(3.4e38)).isTrue();
		assertThat(DType.FLOAT32.isFinite(3.5e38)).isFalse();
		assertThat(DType.FLOAT64.isFinite(3.5e38)).isTrue();
		assertThat(DType.FLOAT64.isFinite(Double.NaN)).isFalse();
		assertThat(DType.FLOAT32.overflowNote(Double.POSITIVE_INFINITY)).isEqualTo(" (this value overflows float32)");
		assertThat(DType.FLOAT32.overflowNote(-1)).isEmpty();
		assertThat(DType.FLOAT64.overflowNote(Double.POSITIVE_INFINITY)).isEmpty();
		assertThat(DType.FLOAT64.sumTolerance()).isEqualTo(1e-6);
		assertThat(DType.FLOAT32.sumTolerance()).isEqualTo(1e-4);
		assertThat(DType.FLOAT32.wireName()).isEqualTo("float32");
		assertThat(DType.FLOAT64.round(0.1)).isEqualTo(0.1);
	}

	@Test
	void maskReplacesMaskedElementsInACopy() {
		Tensor tensor = new Tensor(new int[] { 3 }, new double[] { 1, 2, 3 }, DType.FLOAT32);
		Tensor masked = TensorChecks.masked(Mask.of(new int[] { 3 }, false, true, false), tensor, "/logits", -7);
		assertThat(masked.values()).containsExactly(-7, 2, -7);
		assertThat(masked.dtype()).isEqualTo(DType.FLOAT32);
		assertThat(tensor.values()).containsExactly(1, 2, 3);
		assertThat(TensorChecks.masked(Mask.of(new int[] { 3 }, true, true, true), tensor, "/logits", -7))
			.isSameAs(tensor);
		assertThat(TensorChecks.masked(null, tensor, "/logits", -7)).isSameAs(tensor);
	}

	@Test
	void invalidInputCodeMustBeKebabCase() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InvalidInputException("/x", "Bad.", "Bad_Code"));
		assertThat(new InvalidInputException("/x", "Bad.", "not-whole").code()).isEqualTo("not-whole");
	}

	@Test
	void slicesWalkAnyAxis() {
		Slices slices = Slices.of(new int[] { 2, 3, 4 }, 1);
		assertThat(slices.count()).isEqualTo(8);
		assertThat(slices.length()).isEqualTo(3);
		assertThat(slices.stride()).isEqualTo(4);
		assertThat(slices.start(0)).isZero();
		assertThat(slices.start(3)).isEqualTo(3);
		assertThat(slices.start(4)).isEqualTo(12);
		assertThat(slices.start(7)).isEqualTo(15);
	}

	@Test
	void negativeAxisCountsFromTheEnd() {
		assertThat(TensorChecks.axis(-1, 0, 3, "/axis")).isEqualTo(2);
		assertThat(TensorChecks.axis(-3, 0, 3, "/axis")).isZero();
		assertThat(TensorChecks.axis(null, -1, 3, "/axis")).isEqualTo(2);
	}

	@Test
	void axisOutsideTheRankIsRefused() {
		for (int axis : new int[] { 3, -4 }) {
			assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(InvalidInputException.class,
					() -> TensorChecks.axis(axis, 0, 3, "/axis")))
				.extracting(InvalidInputException::pointer, InvalidInputException::code)
				.containsExactly("/axis", "out-of-range");
		}
	}

	@Test
	void maskedSliceIsReportedByItsPointer() {
		double inf = Double.NEGATIVE_INFINITY;
		Tensor logits = Tensor.of(new int[] { 2, 2 }, 0, inf, inf, inf);
		assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(InvalidInputException.class,
				() -> TensorChecks.checkLogits(logits, 1, "/logits")))
			.extracting(InvalidInputException::pointer)
			.isEqualTo("/logits/1");
		assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(InvalidInputException.class,
				() -> TensorChecks.checkLogits(logits, 0, "/logits")))
			.extracting(InvalidInputException::pointer)
			.isEqualTo("/logits/0/1");
	}

}
