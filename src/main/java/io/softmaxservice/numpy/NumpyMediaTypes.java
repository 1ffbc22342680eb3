package io.softmaxservice.numpy;

import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;

/**
 * The media types of NumPy's file formats, for the endpoints' {@code consumes} and
 * {@code produces}.
 */
public final class NumpyMediaTypes {

	/** A {@code .npz} archive, as {@code numpy.savez} writes it. */
	public static final String NPZ_VALUE = "application/x-npz";

	/** One {@code .npy} array, as {@code numpy.save} writes it. */
	public static final String NPY_VALUE = "application/x-npy";

	/** {@link #NPZ_VALUE} as a media type. */
	public static final MediaType NPZ = MediaType.parseMediaType(NPZ_VALUE);

	/** {@link #NPY_VALUE} as a media type. */
	public static final MediaType NPY = MediaType.parseMediaType(NPY_VALUE);

	private NumpyMediaTypes() {
	}

	static boolean isNpz(@Nullable MediaType type) {
		return type != null && NPZ.equalsTypeAndSubtype(type);
	}

	static boolean isNpy(@Nullable MediaType type) {
		return type != null && NPY.equalsTypeAndSubtype(type);
	}

}
