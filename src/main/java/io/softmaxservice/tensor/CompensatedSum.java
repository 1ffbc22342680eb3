package io.softmaxservice.tensor;

/**
 * Neumaier's compensated sum: the error stays at a few units in the last place however
 * many terms are added, where a plain loop over millions of terms could lose the
 * contract's 1e-12.
 */
public final class CompensatedSum {

	private double sum;

	private double compensation;

	/**
	 * Adds a term.
	 * @param term a finite value
	 */
	public void add(double term) {
		double t = this.sum + term;
		if (Math.abs(this.sum) >= Math.abs(term)) {
			this.compensation += (this.sum - t) + term;
		}
		else {
			this.compensation += (term - t) + this.sum;
		}
		this.sum = t;
	}

	/**
	 * The sum of the terms added so far.
	 * @return the compensated sum
	 */
	public double value() {
		return this.sum + this.compensation;
	}

}
