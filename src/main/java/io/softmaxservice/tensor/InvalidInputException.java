package io.softmaxservice.tensor;

import java.util.regex.Pattern;

/**
 * A request value that breaks the contract: thrown with the RFC 6901 pointer of the
 * offending element, a sentence that says what to fix and a stable machine-readable
 * reason {@code code} (kebab-case, e.g. {@code ragged}, {@code out-of-range}), one per
 * rule, as listed in the README's "Errors" section.
 */
public class InvalidInputException extends RuntimeException {

	private static final Pattern KEBAB_CASE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private final String pointer;

	private final String code;

	/**
	 * Creates the exception.
	 * @param pointer the JSON Pointer of the deepest offending element, e.g.
	 * {@code /logits/2}
	 * @param detail what is wrong and what to send instead
	 * @param code the rule broken, in kebab-case, e.g. {@code ragged}
	 */
	public InvalidInputException(String pointer, String detail, String code) {
		super(detail, null, false, false);
		if (!KEBAB_CASE.matcher(code).matches()) {
			throw new IllegalArgumentException("Not a kebab-case code: '" + code + "'");
		}
		this.pointer = pointer;
		this.code = code;
	}

	public String pointer() {
		return this.pointer;
	}

	public String detail() {
		return getMessage();
	}

	public String code() {
		return this.code;
	}

}
