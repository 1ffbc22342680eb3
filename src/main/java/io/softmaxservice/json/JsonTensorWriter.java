package io.softmaxservice.json;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.softmaxservice.tensor.DType;
import io.softmaxservice.tensor.ShortestDecimal;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON straight from tensors into an output stream through one 64 KiB buffer, so
 * that an answer of any size streams out without ever being held whole. Values are the
 * shortest decimals that read back as the same double, or the same float for float32
 * tensors ({@link ShortestDecimal}); infinities are the bare tokens {@code Infinity} and
 * {@code -Infinity}, or {@code null} when the client asked for strict JSON. Square
 * matrices (the last two axes, up to {@link #MAX_MIRRORED}) reuse the text of a value
 * above the diagonal for its mirror image when the two are equal, as in every softmax
 * Jacobian.
 */
public final class JsonTensorWriter {

	/** The largest buffer a writer takes: an answer up to this long is written whole. */
	public static final int BUFFER_SIZE = 1 << 16;

	private static final byte[] NULL = "null".getBytes(StandardCharsets.ISO_8859_1);

	/** The bytes kept of each value's text for a mirrored block: its most and more. */
	private static final int SLOT = 32;

	/** The largest matrix whose values' texts are kept for its mirror image. */
	static final int MAX_MIRRORED = 256;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private final OutputStream out;

	private final boolean nonFiniteAsNull;

	private final boolean lengthsOnly;

	/**
	 * Each value's measure ({@link ShortestDecimal#measure(double)}), in the order the
	 * values are written: kept while only the lengths are counted, used when the text is
	 * written; or none.
	 */
	private final long @Nullable [] measures;

	/** The index of the next value's measure. */
	private int measure;

	private final byte[] buffer;

	/** The last position a comma and a value may start at without a flush. */
	private final int lastValueStart;

	private int pos;

	/**
	 * The texts above the diagonal of the matrix being written, {@link #SLOT} bytes each.
	 */
	private byte[] slots = new byte[0];

	private byte[] slotLengths = new byte[0];

	/** Where each text of the row being written starts in the buffer. */
	private int[] rowStarts = new int[0];

	/**
	 * Creates a writer whose buffer fits the answer.
	 * @param out where the bytes go
	 * @param nonFiniteAsNull whether to write non-finite values as {@code null}
	 * @param expectedSize about how many bytes will be written: the buffer is that long,
	 * between 64 bytes and {@link #BUFFER_SIZE}, so that a small answer does not allocate
	 * (and zero) a whole buffer
	 */
	public JsonTensorWriter(OutputStream out, boolean nonFiniteAsNull, int expectedSize) {
		this(out, nonFiniteAsNull, expectedSize, false, null);
	}

	private JsonTensorWriter(OutputStream out, boolean nonFiniteAsNull, int expectedSize, boolean lengthsOnly,
			long @Nullable [] measures) {
		this.out = out;
		this.nonFiniteAsNull = nonFiniteAsNull;
		this.lengthsOnly = lengthsOnly;
		this.measures = measures;
		this.buffer = new byte[Math.max(64, Math.min(expectedSize, BUFFER_SIZE))];
		this.lastValueStart = this.buffer.length - SLOT - 1;
	}

	/**
	 * Creates a writer that only counts the bytes of the text: the stream gets as many
	 * bytes as the text has, the values' made of whatever the buffer held, for a stream
	 * that only counts them. Each value's measure is kept for {@link #measured}.
	 * @param counter the stream that counts
	 * @param nonFiniteAsNull whether to write non-finite values as {@code null}
	 * @param expectedSize about how many bytes will be written
	 * @param measures room for a measure per value written
	 * @return the writer
	 */
	static JsonTensorWriter measuring(OutputStream counter, boolean nonFiniteAsNull, int expectedSize,
			long[] measures) {
		return new JsonTensorWriter(counter, nonFiniteAsNull, expectedSize, true, measures);
	}

	/**
	 * Creates a writer for the text that a {@link #measuring} writer has counted, taking
	 * each value's digits from its measure instead of searching for them again.
	 * @param out where the bytes go
	 * @param nonFiniteAsNull whether to write non-finite values as {@code null}, as when
	 * measured
	 * @param expectedSize about how many bytes will be written
	 * @param measures the measures the measuring writer kept, for the same values in the
	 * same order
	 * @return the writer
	 */
	static JsonTensorWriter measured(OutputStream out, boolean nonFiniteAsNull, int expectedSize, long[] measures) {
		return new JsonTensorWriter(out, nonFiniteAsNull, expectedSize, false, measures);
	}

	/**
	 * Writes a tensor: a number for rank 0, else nested arrays in row-major order.
	 * @param tensor the tensor
	 * @throws IOException if the stream fails
	 */
	public void tensor(Tensor tensor) throws IOException {
		boolean single = tensor.dtype() == DType.FLOAT32;
		TensorBlocks values = new TensorBlocks(tensor);
		int rank = tensor.rank();
		if (rank == 0) {
			value(values.load(0, 1)[values.offset()], single);
			return;
		}
		int[] shape = tensor.shape();
		int inner = shape[rank - 1];
		boolean mirrored = rank >= 2 && shape[rank - 2] == inner && inner >= 2 && inner <= MAX_MIRRORED;
		if (mirrored && this.slotLengths.length < inner * inner) {
			this.slots = new byte[inner * inner * SLOT];
			this.slotLengths = new byte[inner * inner];
			this.rowStarts = new int[inner];
		}
		int[] index = new int[rank];
		for (int d = 0; d < rank; d++) {
			ascii('[');
		}
		int i = 0;
		double[] matrix = new double[0];
		int matrixStart = 0;
		while (true) {
			if (mirrored) {
				int row = index[rank - 2];
				if (row == 0) {
					matrix = values.load(i, inner * inner);
					matrixStart = values.offset();
				}
				mirroredRow(matrix, matrixStart + row * inner, row, inner, single);
			}
			else {
				for (int at = 0; at < inner; at += TensorBlocks.BLOCK) {
					int count = Math.min(TensorBlocks.BLOCK, inner - at);
					double[] block = values.load(i + at, count);
					int from = values.offset();
					if (at > 0) {
						ascii(',');
					}
					if (single) {
						floatRow(block, from, from + count);
					}
					else {
						doubleRow(block, from, from + count);
					}
				}
			}
			i += inner;
			ascii(']');
			int d = rank - 2;
			int closed = 1;
			while (d >= 0 && ++index[d] == shape[d]) {
				index[d] = 0;
				ascii(']');
				d--;
				closed++;
			}
			if (d < 0) {
				return;
			}
			ascii(',');
			for (int k = 0; k < closed; k++) {
				ascii('[');
			}
		}
	}

	/**
	 * Writes {@code values[from]} to {@code values[to - 1]} separated by commas. The
	 * buffer is checked once per value, for the most bytes a value and its comma take.
	 */
	private void doubleRow(double[] values, int from, int to) throws IOException {
		byte[] buffer = this.buffer;
		long[] measures = this.measures;
		int measure = this.measure;
		int last = this.lastValueStart;
		int pos = this.pos;
		for (int i = from; i < to; i++) {
			if (pos > last) {
				this.pos = pos;
				flushBuffer();
				pos = 0;
			}
			if (i > from) {
				buffer[pos++] = ',';
			}
			double value = values[i];
			if (this.nonFiniteAsNull && !Double.isFinite(value)) {
				pos = writeNull(buffer, pos);
			}
			else if (measures == null) {
				pos = ShortestDecimal.write(value, buffer, pos);
			}
			else if (this.lengthsOnly) {
				long measured = ShortestDecimal.measure(value);
				measures[measure++] = measured;
				pos += ShortestDecimal.measuredLength(measured);
			}
			else {
				pos = ShortestDecimal.write(value, measures[measure++], buffer, pos);
			}
		}
		this.pos = pos;
		this.measure = measure;
	}

	/** {@link #doubleRow} for values that are floats, written as the shortest float. */
	private void floatRow(double[] values, int from, int to) throws IOException {
		byte[] buffer = this.buffer;
		long[] measures = this.measures;
		int measure = this.measure;
		int last = this.lastValueStart;
		int pos = this.pos;
		for (int i = from; i < to; i++) {
			if (pos > last) {
				this.pos = pos;
				flushBuffer();
				pos = 0;
			}
			if (i > from) {
				buffer[pos++] = ',';
			}
			float value = (float) values[i];
			if (this.nonFiniteAsNull && !Float.isFinite(value)) {
				pos = writeNull(buffer, pos);
			}
			else if (measures == null) {
				pos = ShortestDecimal.write(value, buffer, pos);
			}
			else if (this.lengthsOnly) {
				long measured = ShortestDecimal.measure(value);
				measures[measure++] = measured;
				pos += ShortestDecimal.measuredLength(measured);
			}
			else {
				pos = ShortestDecimal.write(value, measures[measure++], buffer, pos);
			}
		}
		this.pos = pos;
		this.measure = measure;
	}

	/**
	 * Writes row {@code row} of an n × n matrix starting at {@code values[from]}. A value
	 * below the diagonal that has the same bits as its mirror image above it is the same
	 * text, copied from where the mirror's was kept; the texts above the diagonal are
	 * kept for that. Softmax Jacobians are symmetric bit for bit
	 * ({@code y_i (0 - y_j) = y_j (0 - y_i)}), so this formats almost half of their
	 * values once instead of twice; other matrices cost a comparison per value. The texts
	 * are kept at the end of the row or before a flush, not as each is written: reading
	 * bytes back right after storing them stalls the processor.
	 */
	private void mirroredRow(double[] values, int from, int row, int n, boolean single) throws IOException {
		byte[] buffer = this.buffer;
		byte[] slots = this.slots;
		byte[] lengths = this.slotLengths;
		int[] starts = this.rowStarts;
		int last = this.lastValueStart;
		int pos = this.pos;
		int block = from - row * n;
		int kept = row + 1;
		for (int j = 0; j < n; j++) {
			if (pos > last) {
				keep(row, n, kept, j);
				kept = j;
				this.pos = pos;
				flushBuffer();
				pos = 0;
			}
			if (j > 0) {
				buffer[pos++] = ',';
			}
			double value = values[from + j];
			if (j < row
					&& Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(values[block + j * n + row])) {
				int slot = j * n + row;
				copySlot(slots, slot * SLOT, buffer, pos);
				pos += lengths[slot];
			}
			else {
				int start = pos;
				pos = text(value, single, buffer, pos);
				if (j > row) {
					starts[j] = start;
					lengths[row * n + j] = (byte) (pos - start);
				}
			}
		}
		keep(row, n, kept, n);
		this.pos = pos;
	}

	/**
	 * Keeps the texts of row {@code row} from column {@code from} (if above the diagonal)
	 * to {@code to}.
	 */
	private void keep(int row, int n, int from, int to) {
		for (int j = Math.max(from, row + 1); j < to; j++) {
			copySlot(this.buffer, this.rowStarts[j], this.slots, (row * n + j) * SLOT);
		}
	}

	private static void copySlot(byte[] from, int at, byte[] to, int into) {
		for (int b = 0; b < SLOT; b += 8) {
			LONGS.set(to, into + b, (long) LONGS.get(from, at + b));
		}
	}

	/** Writes one value, which must fit, and returns the position after it. */
	private int text(double value, boolean single, byte[] buffer, int pos) {
		if (this.nonFiniteAsNull && (single ? !Float.isFinite((float) value) : !Double.isFinite(value))) {
			return writeNull(buffer, pos);
		}
		long[] measures = this.measures;
		if (measures == null) {
			return single ? ShortestDecimal.write((float) value, buffer, pos)
					: ShortestDecimal.write(value, buffer, pos);
		}
		if (this.lengthsOnly) {
			long measured = single ? ShortestDecimal.measure((float) value) : ShortestDecimal.measure(value);
			measures[this.measure++] = measured;
			return pos + ShortestDecimal.measuredLength(measured);
		}
		long measured = measures[this.measure++];
		return single ? ShortestDecimal.write((float) value, measured, buffer, pos)
				: ShortestDecimal.write(value, measured, buffer, pos);
	}

	private void value(double value, boolean single) throws IOException {
		if (this.pos > this.lastValueStart) {
			flushBuffer();
		}
		this.pos = text(value, single, this.buffer, this.pos);
	}

	private static int writeNull(byte[] buffer, int pos) {
		System.arraycopy(NULL, 0, buffer, pos, NULL.length);
		return pos + NULL.length;
	}

	/**
	 * Writes one ASCII character.
	 * @param c the character
	 * @throws IOException if the stream fails
	 */
	public void ascii(char c) throws IOException {
		if (this.pos == this.buffer.length) {
			flushBuffer();
		}
		this.buffer[this.pos++] = (byte) c;
	}

	/**
	 * Writes a member name and its colon: {@code "name":}.
	 * @param name the name, which must need no escaping
	 * @throws IOException if the stream fails
	 */
	public void name(String name) throws IOException {
		ascii('"');
		for (int i = 0; i < name.length(); i++) {
			ascii(name.charAt(i));
		}
		ascii('"');
		ascii(':');
	}

	/**
	 * Writes JSON text as it is, such as a value that Jackson wrote.
	 * @param text the text's UTF-8 bytes
	 * @throws IOException if the stream fails
	 */
	public void raw(byte[] text) throws IOException {
		if (text.length > this.buffer.length - this.pos) {
			flushBuffer();
			if (text.length > this.buffer.length) {
				this.out.write(text);
				return;
			}
		}
		System.arraycopy(text, 0, this.buffer, this.pos, text.length);
		this.pos += text.length;
	}

	/**
	 * Writes {@code null}.
	 * @throws IOException if the stream fails
	 */
	void nullValue() throws IOException {
		for (byte b : NULL) {
			ascii((char) b);
		}
	}

	/**
	 * Hands every byte written so far to the stream and flushes it.
	 * @throws IOException if the stream fails
	 */
	public void flush() throws IOException {
		flushBuffer();
		this.out.flush();
	}

	/**
	 * The bytes written since the buffer was last handed to the stream.
	 * @return their number
	 */
	int buffered() {
		return this.pos;
	}

	/**
	 * Hands the bytes not yet handed to this writer's stream to another stream instead,
	 * and flushes that: the whole text, when it all fitted in the buffer.
	 * @param other the stream
	 * @throws IOException if the stream fails
	 */
	void flushTo(OutputStream other) throws IOException {
		other.write(this.buffer, 0, this.pos);
		this.pos = 0;
		other.flush();
	}

	/**
	 * Hands the buffer's bytes to the stream, if it holds any: once an answer's
	 * {@code Content-Length} has been written, Tomcat refuses any write, even of no bytes
	 * (the buffer is empty at the end when the text's length is a multiple of it, or
	 * after a raw text longer than it).
	 */
	private void flushBuffer() throws IOException {
		if (this.pos > 0) {
			this.out.write(this.buffer, 0, this.pos);
			this.pos = 0;
		}
	}

}
