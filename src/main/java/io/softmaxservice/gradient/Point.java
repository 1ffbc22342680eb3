package io.softmaxservice.gradient;

/** How a gradient request gives the point the derivative is taken at. */
public enum Point {

	/** The logits x. */
	LOGITS("/logits"),

	/** The softmax output y. */
	PROBABILITIES("/probabilities"),

	/** The log-softmax output log(y). */
	LOG_PROBABILITIES("/log_probabilities");

	private final String pointer;

	Point(String pointer) {
		this.pointer = pointer;
	}

	/**
	 * The pointer of the field that gives the point.
	 * @return e.g. {@code /logits}
	 */
	public String pointer() {
		return this.pointer;
	}

	/**
	 * The field's name.
	 * @return e.g. {@code logits}
	 */
	public String field() {
		return this.pointer.substring(1);
	}

}
