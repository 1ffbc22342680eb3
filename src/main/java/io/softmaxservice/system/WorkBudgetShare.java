package io.softmaxservice.system;

import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The current request's share of the work budget, as code that fills memory for the
 * request sees it. A body's reader about to decode the body into more memory than the
 * body itself (inflating the compressed members of a {@code .npz} archive, up to a
 * thousand times its size), and an endpoint about to compute a result far larger than its
 * input (a Jacobian: as many times its point as the point has classes), first grow the
 * share to cover it, so that small requests of large results wait or are shed like large
 * bodies instead of all filling the heap at once.
 */
@Component
public class WorkBudgetShare {

	private final ComputeSlots slots;

	WorkBudgetShare(ComputeSlots slots) {
		this.slots = slots;
	}

	/**
	 * Grows the current request's share of the work budget to its body and the bytes it
	 * is about to fill, waiting up to the queue timeout with the share it holds (see
	 * {@link ComputeSlots#grow}), unless it holds that much already; outside a request,
	 * does nothing.
	 * @param bytes the memory about to be filled, beyond the body
	 * @throws ServiceOverloadedException if the share did not fit in time
	 */
	public void reserve(long bytes) {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			this.slots.grow(attributes.getRequest(), bytes);
		}
	}

	/**
	 * Grows the current request's share of the work budget to this many bytes in all,
	 * waiting as {@link #reserve} does, unless it holds that much already: for a reader
	 * that streams its body (a JSON body is read 64 KiB at a time), whose values then
	 * take the memory, not the body; outside a request, does nothing.
	 * @param bytes the memory the request is about to hold in all
	 * @throws ServiceOverloadedException if the share did not fit in time
	 */
	public void reserveInAll(long bytes) {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			this.slots.growTo(attributes.getRequest(), bytes);
		}
	}

}
