package io.softmaxservice.tensor;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Large {@code double} arrays that a request's tensors were read into, kept once the
 * request is over and handed to the next request that needs one of the same length.
 *
 * <p>
 * G1 places an array of half a heap region or more (512 KiB with the 1-MiB regions of a
 * heap under 4 GiB) in regions of its own, outside the young generation. Each such
 * allocation may start a concurrent collection, and under a steady stream of large
 * requests (a 256 × 1000 cross-entropy is 2 MB of doubles) those collections made G1 grow
 * a 1-GiB heap to nearly all of it while 50 MiB were alive. Requests of one shape after
 * another, the usual load of a model in service, reuse the same arrays instead.
 *
 * <p>
 * A request opens a {@link Lease} on its thread ({@code RequestBodyFilter} does, around
 * everything that reads, computes and writes it); arrays taken on that thread while it is
 * open come back when it closes, when nothing reads them any more. At most
 * {@link #CAPACITY_BYTES}, and a sixteenth of the largest heap, are kept; the lengths
 * used least recently go first.
 */
public final class LargeArrays {

	/** Arrays of this many elements or more are recycled: 512 KiB of doubles. */
	public static final int MIN_LENGTH = 1 << 16;

	/** The most bytes of arrays kept between requests, with a heap of 1 GiB or more. */
	static final long CAPACITY_BYTES = 64L << 20;

	private final long capacityBytes;

	private final ThreadLocal<@Nullable Lease> leases = new ThreadLocal<>();

	/** What a lease opened inside an open one is: closing it gives nothing back. */
	private final Lease joined = new Lease();

	/** Free arrays by length, the least recently used length first. */
	private final Map<Integer, ArrayDeque<double[]>> free = new LinkedHashMap<>(16, 0.75f, true);

	private long freeBytes;

	public LargeArrays() {
		this(capacity(Runtime.getRuntime().maxMemory()));
	}

	LargeArrays(long capacityBytes) {
		this.capacityBytes = capacityBytes;
	}

	/**
	 * How many bytes of arrays are kept with a heap of some size.
	 * @param maxHeapBytes the heap's largest size
	 * @return a sixteenth of it, at most {@link #CAPACITY_BYTES}
	 */
	static long capacity(long maxHeapBytes) {
		return Math.min(CAPACITY_BYTES, maxHeapBytes / 16);
	}

	/**
	 * Opens a lease on this thread, or joins the one that is open.
	 * @return the lease, to close once nothing reads the arrays taken under it
	 */
	public Lease lease() {
		if (this.leases.get() != null) {
			return this.joined;
		}
		Lease lease = new Lease();
		this.leases.set(lease);
		return lease;
	}

	/**
	 * An array of a length, recycled if a large one of that length is free. A recycled
	 * array holds the values of an earlier request: the caller must write every element
	 * before reading it. Under a lease on this thread, a large array comes back when the
	 * lease closes; otherwise it is left to the garbage collector.
	 * @param length the number of elements
	 * @return an array of exactly that length
	 */
	public double[] take(int length) {
		if (length < MIN_LENGTH) {
			return new double[length];
		}
		double[] array = poll(length);
		if (array == null) {
			array = new double[length];
		}
		Lease lease = this.leases.get();
		if (lease != null) {
			lease.keep(array);
		}
		return array;
	}

	/**
	 * The arrays kept now, for tests.
	 * @return the number of free arrays of each length
	 */
	synchronized Map<Integer, Integer> free() {
		Map<Integer, Integer> counts = new LinkedHashMap<>();
		this.free.forEach((length, arrays) -> counts.put(length, arrays.size()));
		return counts;
	}

	private synchronized double @Nullable [] poll(int length) {
		ArrayDeque<double[]> arrays = this.free.get(length);
		if (arrays == null) {
			return null;
		}
		double[] array = arrays.pop();
		if (arrays.isEmpty()) {
			this.free.remove(length);
		}
		this.freeBytes -= bytes(array);
		return array;
	}

	private synchronized void give(double[] array) {
		if (bytes(array) > this.capacityBytes) {
			return;
		}
		this.free.computeIfAbsent(array.length, (length) -> new ArrayDeque<>()).push(array);
		this.freeBytes += bytes(array);
		Iterator<ArrayDeque<double[]>> lengths = this.free.values().iterator();
		while (this.freeBytes > this.capacityBytes) {
			ArrayDeque<double[]> eldest = lengths.next();
			while (!eldest.isEmpty() && this.freeBytes > this.capacityBytes) {
				this.freeBytes -= bytes(eldest.removeLast());
			}
			if (eldest.isEmpty()) {
				lengths.remove();
			}
		}
	}

	private static long bytes(double[] array) {
		return (long) Double.BYTES * array.length;
	}

	/**
	 * The large arrays taken on a thread while it is open, given back when it closes; or
	 * nothing, for a lease that joined one already open.
	 */
	public final class Lease implements AutoCloseable {

		/** Made at the first large array: most requests take none. */
		private @Nullable ArrayDeque<double[]> taken;

		private Lease() {
		}

		private void keep(double[] array) {
			if (this.taken == null) {
				this.taken = new ArrayDeque<>();
			}
			this.taken.add(array);
		}

		@Override
		public void close() {
			if (LargeArrays.this.leases.get() != this) {
				return;
			}
			LargeArrays.this.leases.remove();
			ArrayDeque<double[]> taken = this.taken;
			if (taken != null) {
				for (double[] array : taken) {
					give(array);
				}
			}
		}

	}

}
