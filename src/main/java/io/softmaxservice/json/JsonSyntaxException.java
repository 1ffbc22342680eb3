package io.softmaxservice.json;

/**
 * A request body that is not JSON as the contract reads it (strict syntax, UTF-8): thrown
 * with the RFC 6901 pointer of the value the scanner was in and a sentence that gives the
 * line, the column and what was found there.
 */
public class JsonSyntaxException extends RuntimeException {

	private final String pointer;

	private final String code;

	JsonSyntaxException(String pointer, String detail) {
		this(pointer, detail, "malformed-json");
	}

	JsonSyntaxException(String pointer, String detail, String code) {
		super(detail, null, false, false);
		this.pointer = pointer;
		this.code = code;
	}

	/**
	 * Where the scanner was: the member or array element it was reading.
	 * @return an RFC 6901 pointer, {@code ""} for the whole body
	 */
	public String pointer() {
		return this.pointer;
	}

	/**
	 * The reason code: {@code parser-limit} for nesting beyond the parser's limit, else
	 * {@code malformed-json}.
	 * @return the code
	 */
	public String code() {
		return this.code;
	}

	/**
	 * What is wrong, where, in one sentence.
	 * @return the detail
	 */
	public String detail() {
		return getMessage();
	}

}
