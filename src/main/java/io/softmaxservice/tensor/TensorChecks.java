package io.softmaxservice.tensor;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The contract's rules on request values that more than one endpoint shares: axes,
 * temperatures and the values logits may hold. Each check throws
 * {@link InvalidInputException} with the pointer of the first offending element.
 */
public final class TensorChecks {

	private TensorChecks() {
	}

	/**
	 * Fails if a required field is missing.
	 * @param <T> the field's type
	 * @param tensor the field's value, or null
	 * @param pointer where it belongs, e.g. {@code /logits}
	 * @return the tensor
	 */
	public static <T> T required(@Nullable T tensor, String pointer) {
		if (tensor == null) {
			throw new InvalidInputException(pointer, "The field '" + pointer.substring(1) + "' is required.",
					"required");
		}
		return tensor;
	}

	/**
	 * Fails for a rank-0 tensor (a bare number) where an array is needed.
	 * @param tensor the tensor
	 * @param pointer where it is
	 * @return the tensor
	 */
	public static Tensor requireArray(Tensor tensor, String pointer) {
		if (tensor.rank() == 0) {
			throw new InvalidInputException(pointer, "Expected an array of numbers (rank 1 to " + Tensor.MAX_RANK
					+ "), found a single number; wrap it in [ ].", "rank");
		}
		return tensor;
	}

	/**
	 * Resolves an axis, which counts from the end when negative.
	 * @param axis the requested axis, or null for the default
	 * @param defaultAxis the default
	 * @param rank the rank of the tensor it applies to
	 * @param pointer where the axis is, e.g. {@code /axis}
	 * @return the axis in {@code [0, rank)}
	 */
	public static int axis(@Nullable Integer axis, int defaultAxis, int rank, String pointer) {
		int requested = (axis != null) ? axis : defaultAxis;
		if (requested < -rank || requested >= rank) {
			throw new InvalidInputException(pointer, "The axis " + requested + " is out of range for a tensor of rank "
					+ rank + "; use a value from " + (-rank) + " to " + (rank - 1) + ".", "out-of-range");
		}
		return (requested < 0) ? requested + rank : requested;
	}

	/**
	 * Resolves a temperature, which must be a finite number above 0.
	 * @param temperature the requested temperature, or null for 1
	 * @param pointer where it is
	 * @return the temperature
	 */
	public static double temperature(@Nullable Double temperature, String pointer) {
		if (temperature == null) {
			return 1.0;
		}
		if (!(temperature > 0) || Double.isInfinite(temperature)) {
			throw new InvalidInputException(pointer,
					"The temperature must be a finite number greater than 0, not " + temperature + ".", "out-of-range");
		}
		return temperature;
	}

	/**
	 * Checks logits: {@code +Infinity} is refused, {@code -Infinity} masks an element
	 * out, and a slice along the axis whose logits are all masked has no softmax.
	 * @param logits the logits (NaN was refused when they were read)
	 * @param axis the normalised axis
	 * @param pointer where they are, e.g. {@code /logits}
	 */
	public static void checkLogits(Tensor logits, int axis, String pointer) {
		int infinity = logits.indexOf(Double.POSITIVE_INFINITY);
		if (infinity >= 0) {
			throw new InvalidInputException(logits.pointer(pointer, infinity),
					"+Infinity is not allowed in logits" + logits.dtype().overflowNote(Double.POSITIVE_INFINITY)
							+ "; send a finite number, or -Infinity to mask the class out.",
					"not-finite");
		}
		Slices slices = Slices.of(logits.shape(), axis);
		for (int s = 0; s < slices.count(); s++) {
			int start = slices.start(s);
			boolean masked = true;
			for (int c = 0, i = start; c < slices.length() && masked; c++, i += slices.stride()) {
				masked = logits.get(i) == Double.NEGATIVE_INFINITY;
			}
			if (masked) {
				throw new InvalidInputException(slicePointer(logits, axis, start, pointer),
						"Every class of this slice along axis " + axis
								+ " is masked out (a -Infinity logit or a false in mask), so it has no softmax; leave at "
								+ "least one class unmasked.",
						"masked-slice");
			}
		}
	}

	/**
	 * Applies an optional mask to the point it masks: fails unless the mask is shaped
	 * exactly like the point, then gives every element the mask sets to {@code false} the
	 * value that masks it out, as if the request had sent that value.
	 * @param mask the mask, or null for none
	 * @param point the tensor it masks (logits, probabilities or log-probabilities)
	 * @param pointer the point's pointer, e.g. {@code /logits}
	 * @param masked the value of a masked element: {@code -Infinity} for logits and
	 * log-probabilities, 0 for probabilities
	 * @return the point, masked
	 */
	public static Tensor masked(@Nullable Mask mask, Tensor point, String pointer, double masked) {
		if (mask == null) {
			return point;
		}
		if (!Arrays.equals(mask.shape(), point.shape())) {
			throw new InvalidInputException("/mask",
					"The mask has shape " + describe(mask.shape()) + " but '" + pointer.substring(1) + "' has shape "
							+ describe(point.shape()) + "; send a mask shaped exactly like '" + pointer.substring(1)
							+ "'.",
					"shape-mismatch");
		}
		return mask.apply(point, masked);
	}

	/**
	 * A shape as error messages write it.
	 * @param shape the dimensions
	 * @return e.g. {@code [2, 3]}, or {@code [] (a single number)} for a scalar
	 */
	public static String describe(int[] shape) {
		return (shape.length == 0) ? "[] (a single number)" : Arrays.toString(shape);
	}

	/**
	 * The pointer of the slice along {@code axis} that starts at {@code start}: the JSON
	 * array itself when the axis is the last one, else its first element.
	 * @param tensor the tensor
	 * @param axis the normalised axis
	 * @param start the row-major index of the slice's first element
	 * @param pointer the tensor's pointer
	 * @return the slice's pointer
	 */
	public static String slicePointer(Tensor tensor, int axis, int start, String pointer) {
		String first = tensor.pointer(pointer, start);
		return (axis == tensor.rank() - 1) ? first.substring(0, first.lastIndexOf('/')) : first;
	}

}
