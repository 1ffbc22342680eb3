package io.softmaxservice.inference;

import java.util.ArrayList;
import java.util.List;

import io.softmaxservice.inference.InferenceResponse.OutputTensor;
import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import tools.jackson.core.io.NumberOutput;

/**
 * The classification extension: instead of an output tensor, the {@code k} largest values
 * of each slice along the computation's axis, as strings {@code "<value>:<index>"},
 * largest first (ties by lower index), shaped like the tensor without that axis followed
 * by {@code k}. Values are written as the shortest decimal that reads back as the same
 * double (or float, for FP32).
 */
final class Classification {

	private Classification() {
	}

	/**
	 * Classifies an output.
	 * @param name the output's name
	 * @param tensor the computed output
	 * @param axis the axis to rank along
	 * @param k how many classes to answer per slice
	 * @param binary whether the answer travels as binary data
	 * @return a BYTES output
	 */
	static OutputTensor of(String name, Tensor tensor, int axis, int k, boolean binary) {
		if (tensor.rank() == 0) {
			throw new InvalidInputException("",
					"The output '" + name
							+ "' is a single number, so it has no classes to rank; ask for it without classification.",
					"rank");
		}
		Slices slices = Slices.of(tensor.shape(), axis);
		if (k > slices.length()) {
			throw new InvalidInputException("", "classification " + k + " on output '" + name + "' asks for more than "
					+ "its " + slices.length() + " classes; ask for 1 to " + slices.length() + ".", "out-of-range");
		}
		List<String> classes = new ArrayList<>(slices.count() * k);
		int[] top = new int[k];
		for (int s = 0; s < slices.count(); s++) {
			rank(tensor.values(), slices, s, top);
			for (int index : top) {
				double value = tensor.get(slices.start(s) + index * slices.stride());
				classes.add(format(value, tensor.dtype()) + ":" + index);
			}
		}
		int[] shape = new int[tensor.rank()];
		for (int a = 0, r = 0; a < tensor.rank(); a++) {
			if (a != axis) {
				shape[r++] = tensor.dim(a);
			}
		}
		shape[shape.length - 1] = k;
		return new OutputTensor(name, "BYTES", shape, null, classes, binary);
	}

	/**
	 * Fills {@code top} with the indexes of a slice's largest values, largest first, by
	 * insertion into the sorted prefix: O(length * k), and k is small in practice.
	 */
	private static void rank(double[] values, Slices slices, int slice, int[] top) {
		int start = slices.start(slice);
		int stride = slices.stride();
		int filled = 0;
		for (int c = 0; c < slices.length(); c++) {
			double value = values[start + c * stride];
			if (filled == top.length && !(value > values[start + top[filled - 1] * stride])) {
				continue;
			}
			int at = Math.min(filled, top.length - 1);
			while (at > 0 && value > values[start + top[at - 1] * stride]) {
				top[at] = top[at - 1];
				at--;
			}
			top[at] = c;
			filled = Math.min(filled + 1, top.length);
		}
	}

	static String format(double value, DType dtype) {
		return (dtype == DType.FLOAT32) ? NumberOutput.toString((float) value, true)
				: NumberOutput.toString(value, true);
	}

}
