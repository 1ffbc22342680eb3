package io.softmaxservice.numpy;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.Checksum;

import io.softmaxservice.numpy.NpyHeader.Kind;
import io.softmaxservice.numpy.NpzReader.Member;
import io.softmaxservice.tensor.InvalidInputException;
import io.softmaxservice.tensor.TensorReader;
import io.softmaxservice.tensor.Mask;
import io.softmaxservice.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * Binds a NumPy body and the query string into an endpoint's request record, the same
 * record the JSON body binds: each archive member gives the tensor field of its name,
 * each query parameter the scalar field of its name, and every other field stays null for
 * the endpoint's validator to default or require. A member or parameter that names no
 * field, or a field of the other kind, is an error at that field's pointer.
 */
final class NumpyRequestBinder {

	private static final Set<Kind> FLOATS = EnumSet.of(Kind.FLOAT);

	private static final Set<Kind> NUMBERS = EnumSet.of(Kind.FLOAT, Kind.SIGNED, Kind.UNSIGNED);

	private static final Set<Kind> BOOLS = EnumSet.of(Kind.BOOL);

	private final int maxElements;

	private final LongConsumer beforeDecoding;

	NumpyRequestBinder(int maxElements) {
		this(maxElements, (bytes) -> {
		});
	}

	/**
	 * Creates a binder that says how much memory a body decodes into before it does.
	 * @param maxElements the element limit
	 * @param beforeDecoding told the memory the body is about to take beyond its own
	 * bytes, in all so far: the total size of an archive's compressed members once its
	 * directory is checked and before any member is inflated, then more before each
	 * array's values are widened into doubles (float16 takes four times its bytes, a bool
	 * mask eight); it may wait, or throw to refuse the request
	 */
	NumpyRequestBinder(int maxElements, LongConsumer beforeDecoding) {
		this.maxElements = maxElements;
		this.beforeDecoding = beforeDecoding;
	}

	/**
	 * The largest size an archive member may declare: a {@code .npy} file of float64
	 * values at the element limit.
	 * @return bytes
	 */
	long maxMemberBytes() {
		return 8L * this.maxElements + NpyReader.MAX_HEADER_BYTES + 12;
	}

	/**
	 * Binds a {@code .npz} body.
	 * @param type the request record type
	 * @param body the archive
	 * @param rawQuery the query string, or null
	 * @param owned whether the body is the caller's to give away: nothing else reads or
	 * writes it, so the answer computed from a tensor read from it may be written into it
	 * @return the request record
	 */
	Object bindArchive(Class<?> type, byte[] body, @Nullable String rawQuery, boolean owned) {
		RecordFields fields = RecordFields.of(type);
		Map<String, String> parameters = QueryParameters.parse(rawQuery);
		Map<String, Member> members = NpzReader.read(body, maxMemberBytes());
		long inflated = 0;
		for (Member member : members.values()) {
			checkMember(fields, member.name(), member.pointer());
			inflated += member.deflated() ? member.size() : 0;
		}
		checkParameters(fields, parameters);
		if (inflated > 0) {
			this.beforeDecoding.accept(inflated);
		}
		LongConsumer widening = decoding(inflated);
		@Nullable Object[] values = new Object[fields.fields().size()];
		for (int i = 0; i < values.length; i++) {
			RecordFields.Field field = fields.fields().get(i);
			Member member = members.get(field.name());
			if (member != null) {
				values[i] = member.read((content, crc) -> read(content, field, crc, owned, widening));
			}
		}
		return create(fields, parameters, values);
	}

	/**
	 * Binds a {@code .npy} body as the {@code logits} field.
	 * @param type the request record type
	 * @param body the array
	 * @param rawQuery the query string, or null
	 * @param owned whether the body is the caller's to give away, as for
	 * {@link #bindArchive}
	 * @return the request record
	 */
	Object bindArray(Class<?> type, byte[] body, @Nullable String rawQuery, boolean owned) {
		RecordFields fields = RecordFields.of(type);
		Map<String, String> parameters = QueryParameters.parse(rawQuery);
		checkMember(fields, "logits", "/logits");
		checkParameters(fields, parameters);
		@Nullable Object[] values = new Object[fields.fields().size()];
		RecordFields.Field logits = fields.field("logits");
		values[fields.fields().indexOf(logits)] = read(ByteBuffer.wrap(body), logits, null, owned, decoding(0));
		return create(fields, parameters, values);
	}

	/**
	 * Reads an array as its field's type: a mask from a bool array, class-index or
	 * probability targets from an integer or float array, every other tensor from a float
	 * array.
	 */
	private Object read(ByteBuffer npy, RecordFields.Field field, @Nullable Checksum checksum, boolean owned,
			LongConsumer widening) {
		String pointer = QueryParameters.pointer(field.name());
		if (field.type() == Mask.class) {
			Tensor values = NpyReader.read(npy, pointer, BOOLS, this.maxElements, checksum, false, widening);
			boolean[] keep = new boolean[values.size()];
			for (int i = 0; i < keep.length; i++) {
				keep[i] = values.get(i) != 0;
			}
			return new Mask(values.shape(), keep);
		}
		return NpyReader.read(npy, pointer, field.name().equals("target") ? NUMBERS : FLOATS, this.maxElements,
				checksum, owned, widening);
	}

	/**
	 * Tells {@link #beforeDecoding} the memory decoded so far, starting from what the
	 * archive inflates to, each time an array is about to be widened.
	 */
	private LongConsumer decoding(long inflated) {
		long[] decoded = { inflated };
		return (bytes) -> {
			decoded[0] += bytes;
			this.beforeDecoding.accept(decoded[0]);
		};
	}

	private static Object create(RecordFields fields, Map<String, String> parameters, @Nullable Object[] values) {
		for (Map.Entry<String, String> parameter : parameters.entrySet()) {
			RecordFields.Field field = fields.field(parameter.getKey());
			values[fields.fields().indexOf(field)] = QueryParameters.value(parameter.getKey(), parameter.getValue(),
					field.type());
		}
		return fields.create(values);
	}

	private static void checkMember(RecordFields fields, String name, String pointer) {
		RecordFields.Field field = fields.field(name);
		if (field == null) {
			throw new InvalidInputException(pointer,
					"The archive member '" + TensorReader.abbreviate(name)
							+ "' is not a tensor of this request; its tensors are: " + fields.names(true) + ".",
					"unknown-field");
		}
		if (!field.isTensor()) {
			throw new InvalidInputException(pointer, "'" + name + "' is not a tensor; give it as the query parameter "
					+ "?" + name + "=... instead of an archive member.", "wrong-type");
		}
	}

	private static void checkParameters(RecordFields fields, Map<String, String> parameters) {
		for (String name : parameters.keySet()) {
			RecordFields.Field field = fields.field(name);
			if (field == null) {
				throw new InvalidInputException(QueryParameters.pointer(name),
						"Unknown query parameter '" + TensorReader.abbreviate(name)
								+ "'; the parameters of this request are: " + fields.names(false) + ".",
						"unknown-field");
			}
			if (field.isTensor()) {
				throw new InvalidInputException(QueryParameters.pointer(name), "'" + name + "' is a tensor; send it "
						+ "as the archive member " + name + ".npy, not as a query parameter.", "wrong-type");
			}
		}
	}

}
