package io.softmaxservice.tensor;

/**
 * An input or a result larger than the configured limits, with the code {@value #CODE}.
 */
public class InputTooLargeException extends InvalidInputException {

	/** The reason code of every input or result over a limit. */
	public static final String CODE = "too-large";

	/**
	 * Creates the exception.
	 * @param pointer the JSON Pointer of the tensor over the limit, or of the field that
	 * asks for a result over the limit
	 * @param detail the limit and how far over it the request is
	 */
	public InputTooLargeException(String pointer, String detail) {
		super(pointer, detail, CODE);
	}

}
