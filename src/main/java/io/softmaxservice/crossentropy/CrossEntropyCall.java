package io.softmaxservice.crossentropy;

import java.util.Arrays;

import io.softmaxservice.tensor.Slices;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * A checked {@code POST /cross-entropy} request, made by {@link CrossEntropyValidator}:
 * what {@link CrossEntropyKernel} computes, with the maths both need (the class shares,
 * the mean's divisor, the shape of index targets).
 *
 * @param logits the logits in the dtype to compute in, masked elements set to -Infinity,
 * no slice all -Infinity
 * @param axis the class axis in {@code [0, rank)}
 * @param target class indices (logits' shape without the axis, whole numbers in
 * {@code [0, C)} or ignoreIndex) or class probabilities (logits' shape, in [0, 1])
 * @param probabilityTarget which of the two the target is
 * @param weight the class weights (C finite numbers >= 0), or null for 1 each
 * @param ignoreIndex the class index of targets to leave out
 * @param reduction how losses are combined
 * @param labelSmoothing in [0, 1]
 * @param includeGrad whether to return the gradient
 */
public record CrossEntropyCall(Tensor logits, int axis, Tensor target, boolean probabilityTarget,
		@Nullable Tensor weight, int ignoreIndex, Reduction reduction, double labelSmoothing, boolean includeGrad) {

	/** PyTorch's default {@code ignore_index}. */
	public static final int DEFAULT_IGNORE_INDEX = -100;

	/**
	 * The coefficients {@code a_c} of {@code -log p_c} in the loss at one position, so
	 * that {@code loss = -sum_c a_c log p_c}, for every class of the position's slice.
	 * With ε the label smoothing, C classes and w the class weights (1 without
	 * {@code weight}):
	 * <ul>
	 * <li>class index t: {@code a_c = (1 - ε) w_t [c = t] + ε w_c / C}, 0 for every c
	 * when t is ignore_index. This is PyTorch's
	 * {@code (1 - ε) nll_loss + ε/C · (-sum_c w_c log p_c)};</li>
	 * <li>class probabilities t: {@code a_c = w_c ((1 - ε) t_c + ε / C)}, PyTorch's
	 * smoothed target times the weight.</li>
	 * </ul>
	 * The target and the weights are read once per position, not once per class.
	 * @param slices the layout of the logits around the class axis
	 * @param position the position: the slice's index, which is also its row-major index
	 * into the logits' shape without the class axis
	 * @param shares where to write the coefficient of each of the slice's classes, each
	 * at least 0
	 */
	void shares(Slices slices, int position, double[] shares) {
		double classes = slices.length();
		double eps = this.labelSmoothing;
		if (this.probabilityTarget) {
			int start = slices.start(position);
			for (int c = 0; c < shares.length; c++) {
				double w = (this.weight != null) ? this.weight.get(c) : 1;
				shares[c] = w * ((1 - eps) * this.target.get(start + c * slices.stride()) + eps / classes);
			}
			return;
		}
		double index = this.target.get(position);
		if (index == this.ignoreIndex) {
			Arrays.fill(shares, 0);
			return;
		}
		for (int c = 0; c < shares.length; c++) {
			double w = (this.weight != null) ? this.weight.get(c) : 1;
			shares[c] = eps * w / classes;
		}
		int t = (int) index;
		double w = (this.weight != null) ? this.weight.get(t) : 1;
		shares[t] = (1 - eps) * w + shares[t];
	}

	/**
	 * What {@code mean} divides the summed losses by, as PyTorch: for class-index targets
	 * the summed weights of the classes of the non-ignored targets (their count without
	 * weights), for probability targets the number of positions (elements without the
	 * class axis), whatever the weights.
	 * @return the divisor, 0 when every target is ignored or of weight 0
	 */
	double meanDivisor() {
		if (this.probabilityTarget) {
			return (double) this.target.size() / this.logits.dim(this.axis);
		}
		double divisor = 0;
		for (int i = 0; i < this.target.size(); i++) {
			double value = this.target.get(i);
			if (value != this.ignoreIndex) {
				divisor += (this.weight != null) ? this.weight.get((int) value) : 1;
			}
		}
		return divisor;
	}

	/**
	 * The shape of the logits without the class axis: that of class-index targets and of
	 * the loss for reduction none.
	 * @param shape the logits' shape
	 * @param axis the class axis
	 * @return the shape, empty (a scalar) for rank-1 logits
	 */
	static int[] indexShape(int[] shape, int axis) {
		int[] reduced = new int[shape.length - 1];
		for (int a = 0, r = 0; a < shape.length; a++) {
			if (a != axis) {
				reduced[r++] = shape[a];
			}
		}
		return reduced;
	}

	/**
	 * The number of input tensor elements, for the {@code softmax.tensor.elements}
	 * metric.
	 * @return the sizes of the logits, the target and the weight
	 */
	public long elements() {
		return (long) this.logits.size() + this.target.size() + ((this.weight != null) ? this.weight.size() : 0);
	}

}
