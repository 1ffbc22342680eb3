package io.softmaxservice.numpy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.softmaxservice.tensor.TensorJsonHttpMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;

/**
 * Reads the media types of an {@code Accept} header as RFC 9110 means them, where Spring
 * MVC alone does not: a type with {@code q=0} is one the client refuses, not one it
 * accepts last; and the JSON switch {@code nonfinite} has one value, {@code null} (in any
 * case, quoted or not), so that a misspelt switch is refused instead of silently giving
 * the {@code -Infinity} tokens its client cannot read.
 */
public final class AcceptedTypes {

	private static final String NULL = "null";

	private AcceptedTypes() {
	}

	/**
	 * The types a client accepts, in its order, {@code nonfinite} written as
	 * {@code null}.
	 * @param accepted the parsed header
	 * @return the types with a quality above 0
	 * @throws HttpMediaTypeNotAcceptableException if {@link #problem} finds one
	 */
	static List<MediaType> of(List<MediaType> accepted) throws HttpMediaTypeNotAcceptableException {
		String problem = problem(accepted);
		if (problem != null) {
			throw new HttpMediaTypeNotAcceptableException(problem);
		}
		List<MediaType> acceptable = new ArrayList<>(accepted.size());
		for (MediaType type : accepted) {
			if (type.getQualityValue() > 0) {
				acceptable.add((nonFinite(type) != null) ? withNonFiniteNull(type) : type);
			}
		}
		return acceptable;
	}

	/**
	 * What makes a header accept nothing, said for its client.
	 * @param accepted the parsed header
	 * @return why no answer is acceptable, or null if some may be
	 */
	public static @Nullable String problem(List<MediaType> accepted) {
		boolean any = accepted.isEmpty();
		for (MediaType type : accepted) {
			String nonFinite = nonFinite(type);
			if (nonFinite != null && !nonFinite.toLowerCase(Locale.ROOT).equals(NULL)) {
				return "The Accept header asks for nonfinite="
						+ type.getParameter(TensorJsonHttpMessageConverter.NON_FINITE_PARAMETER)
						+ "; the only choice is nonfinite=null "
						+ "(non-finite numbers written as null), and without it they are written as -Infinity, "
						+ "Infinity or NaN.";
			}
			any |= type.getQualityValue() > 0;
		}
		return any ? null
				: "The Accept header refuses every media type it names (q=0); accept one such as application/json, "
						+ "or send none.";
	}

	private static @Nullable String nonFinite(MediaType type) {
		String value = type.getParameter(TensorJsonHttpMessageConverter.NON_FINITE_PARAMETER);
		if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			return value.substring(1, value.length() - 1);
		}
		return value;
	}

	private static MediaType withNonFiniteNull(MediaType type) {
		Map<String, String> parameters = new LinkedHashMap<>(type.getParameters());
		parameters.put(TensorJsonHttpMessageConverter.NON_FINITE_PARAMETER, NULL);
		return new MediaType(type, parameters);
	}

}
