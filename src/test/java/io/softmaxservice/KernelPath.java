package io.softmaxservice;

import io.softmaxservice.tensor.KernelProperties;

/**
 * The two ways a kernel computes: every numeric test runs through both, so that the
 * plain-Java path for small tensors and ND4J can never disagree.
 */
public enum KernelPath {

	/** Every tensor with ND4J. */
	ND4J(0),

	/** Every tensor in plain Java. */
	PLAIN_JAVA(Integer.MAX_VALUE);

	/** The property that sends every tensor to ND4J, for Spring tests. */
	public static final String ND4J_PROPERTY = "softmax.kernel.plain-java-max-elements=0";

	/** The property that sends every tensor to plain Java, for Spring tests. */
	public static final String PLAIN_JAVA_PROPERTY = "softmax.kernel.plain-java-max-elements=2147483647";

	private final int plainJavaMaxElements;

	KernelPath(int plainJavaMaxElements) {
		this.plainJavaMaxElements = plainJavaMaxElements;
	}

	/**
	 * The kernel settings that take this path.
	 * @return the properties
	 */
	public KernelProperties properties() {
		return new KernelProperties(this.plainJavaMaxElements, KernelProperties.DEFAULT.nd4jThreads(),
				KernelProperties.DEFAULT.parallelMinElements());
	}

}
