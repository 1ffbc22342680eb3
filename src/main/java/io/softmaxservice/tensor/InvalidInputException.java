package io.softmaxservice.tensor;

/**
 * A request value that breaks the contract: thrown with the RFC 6901 pointer of the
 * offending element and a sentence that says what to fix.
 */
public class InvalidInputException extends RuntimeException {

	private final String pointer;

	/**
	 * Creates the exception.
	 * @param pointer the JSON Pointer of the deepest offending element, e.g.
	 * {@code /logits/2}
	 * @param detail what is wrong and what to send instead
	 */
	public InvalidInputException(String pointer, String detail) {
		super(detail, null, false, false);
		this.pointer = pointer;
	}

	public String pointer() {
		return this.pointer;
	}

	public String detail() {
		return getMessage();
	}

}
