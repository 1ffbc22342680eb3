package io.softmaxservice.system;

import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The work budget as a body's reader sees it: a reader about to decode a body into more
 * memory than the body itself (inflating the compressed members of a {@code .npz}
 * archive, up to a thousand times its size) first takes the request's share for both, so
 * that small archives of large members wait or are shed like large bodies instead of all
 * inflating at once.
 */
@Component
public class DecodingBudget {

	private final ComputeSlots slots;

	DecodingBudget(ComputeSlots slots) {
		this.slots = slots;
	}

	/**
	 * Grows the current request's share of the work budget to its body and the bytes it
	 * is about to decode, waiting up to the queue timeout, unless it holds that much
	 * already; outside a request, does nothing.
	 * @param bytes the memory the reader is about to fill, beyond the body
	 * @throws ServiceOverloadedException if the share did not fit in time
	 */
	public void reserve(long bytes) {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			this.slots.acquire(attributes.getRequest(), bytes);
		}
	}

}
