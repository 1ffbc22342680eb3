package io.softmaxservice.tensor;

/**
 * A kernel that runs once on a small input at start-up, before the service reports ready,
 * so that the first request pays neither for loading ND4J's ops nor for compiling the
 * kernel's code.
 */
public interface WarmUp {

	/**
	 * Computes something small with every code path a request may take.
	 */
	void warmUp();

}
