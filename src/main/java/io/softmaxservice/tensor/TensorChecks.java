package io.softmaxservice.tensor;

/**
 * The contract's rules on request values that more than one endpoint shares: axes,
 * temperatures and the values logits may hold. Each check throws
 * {@link InvalidInputException} with the pointer of the first offending element.
 */
public final class TensorChecks {

	private TensorChecks() {
	}

	/**
	 * Fails if a required tensor is missing.
	 * @param tensor the tensor, or null
	 * @param pointer where it belongs, e.g. {@code /logits}
	 * @return the tensor
	 */
	public static Tensor required(Tensor tensor, String pointer) {
		if (tensor == null) {
			throw new InvalidInputException(pointer, "The field '" + pointer.substring(1) + "' is required.");
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
					+ "), found a single number; wrap it in [ ].");
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
	public static int axis(Integer axis, int defaultAxis, int rank, String pointer) {
		int requested = (axis != null) ? axis : defaultAxis;
		if (requested < -rank || requested >= rank) {
			throw new InvalidInputException(pointer, "The axis " + requested + " is out of range for a tensor of rank "
					+ rank + "; use a value from " + (-rank) + " to " + (rank - 1) + ".");
		}
		return (requested < 0) ? requested + rank : requested;
	}

	/**
	 * Resolves a temperature, which must be a finite number above 0.
	 * @param temperature the requested temperature, or null for 1
	 * @param pointer where it is
	 * @return the temperature
	 */
	public static double temperature(Double temperature, String pointer) {
		if (temperature == null) {
			return 1.0;
		}
		if (!(temperature > 0) || Double.isInfinite(temperature)) {
			throw new InvalidInputException(pointer,
					"The temperature must be a finite number greater than 0, not " + temperature + ".");
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
		double[] values = logits.values();
		for (int i = 0; i < values.length; i++) {
			if (values[i] == Double.POSITIVE_INFINITY) {
				throw new InvalidInputException(logits.pointer(pointer, i),
						"+Infinity is not allowed in logits"
								+ ((logits.dtype() == DType.FLOAT32) ? " (this value overflows float32)" : "")
								+ "; send a finite number, or -Infinity to mask the class out.");
			}
		}
		Slices slices = Slices.of(logits.shape(), axis);
		for (int s = 0; s < slices.count(); s++) {
			int start = slices.start(s);
			boolean masked = true;
			for (int c = 0, i = start; c < slices.length() && masked; c++, i += slices.stride()) {
				masked = values[i] == Double.NEGATIVE_INFINITY;
			}
			if (masked) {
				throw new InvalidInputException(slicePointer(logits, axis, start, pointer),
						"Every logit of this slice along axis " + axis
								+ " is -Infinity, so it has no softmax; leave at least one class unmasked.");
			}
		}
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
