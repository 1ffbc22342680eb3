package io.softmaxservice.inference;

import java.util.function.LongConsumer;

/**
 * The memory an inference request's values take beyond its body, told before each array
 * is allocated (from a mebibyte on), so that the request's share of the work budget grows
 * first: {@code 0,} is two bytes of JSON but eight as a double, and an FP16, INT8 or BOOL
 * element four or eight times its binary size.
 */
final class DecodedMemory {

	/** Below this the body's own share covers the values. */
	static final long REPORTED_FROM = 1 << 20;

	private final LongConsumer beforeDecoding;

	private long held;

	private long reported;

	/**
	 * @param beforeDecoding told the bytes held in all, beyond the body, before they are
	 * allocated
	 */
	DecodedMemory(LongConsumer beforeDecoding) {
		this.beforeDecoding = beforeDecoding;
	}

	/**
	 * Before an array of {@code bytes} is allocated, in place of one of {@code released}
	 * bytes (0 for a new one), which is held until the new one is filled.
	 */
	void allocate(long bytes, long released) {
		long peak = this.held + bytes;
		if (peak >= REPORTED_FROM && peak > this.reported) {
			this.beforeDecoding.accept(peak);
			this.reported = peak;
		}
		this.held = peak - released;
	}

}
