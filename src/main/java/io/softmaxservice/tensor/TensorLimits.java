package io.softmaxservice.tensor;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Size limits on requests, set with {@code softmax.limits.*} (bound as part of
 * {@code SoftmaxProperties}). A request exactly at a limit is accepted; one unit over it
 * is refused with 413.
 *
 * @param maxBodySize the largest request body
 * @param maxElements the largest number of elements in any input tensor and in any result
 */
public record TensorLimits(@DefaultValue("64MB") DataSize maxBodySize, @DefaultValue("4194304") int maxElements) {

	/**
	 * Refuses a result that would hold more than {@link #maxElements()} elements.
	 * @param elements the size of the result
	 * @param pointer where the request asks for it
	 */
	public void checkResultSize(long elements, String pointer) {
		if (elements > this.maxElements) {
			throw new InputTooLargeException(pointer, "The result would have " + elements
					+ " elements, more than the limit of " + this.maxElements + "; send a smaller tensor.");
		}
	}

}
