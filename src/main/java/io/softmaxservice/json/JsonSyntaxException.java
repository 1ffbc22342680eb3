package io.softmaxservice.json;

/**
 * A request body that is not JSON as the contract reads it (strict syntax, UTF-8): thrown
 * with the RFC 6901 pointer of the value the scanner was in and a sentence that gives the
 * line, the column and what was found there.
 */
public class JsonSyntaxException extends RuntimeException {

	private final String pointer;

	JsonSyntaxException(String pointer, String detail) {
		super(detail, null, false, false);
		this.pointer = pointer;
	}

	/**
	 * Where the scanner was: the member or array element it was reading.
	 * @return an RFC 6901 pointer, {@code ""} for the whole body
	 */
	public String pointer() {
		return this.pointer;
	}

	/**
	 * What is wrong, where, in one sentence.
	 * @return the detail
	 */
	public String detail() {
		return getMessage();
	}

}
