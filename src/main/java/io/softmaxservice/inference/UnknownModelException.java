package io.softmaxservice.inference;

/**
 * A model or model version this service does not serve: answered 404.
 */
class UnknownModelException extends RuntimeException {

	UnknownModelException(String detail) {
		super(detail, null, false, false);
	}

}
