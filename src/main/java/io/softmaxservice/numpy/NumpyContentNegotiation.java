package io.softmaxservice.numpy;

import java.util.List;

import io.softmaxservice.tensor.TensorJsonHttpMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Chooses the answer's format: by {@code Accept} as RFC 9110 reads it
 * ({@link AcceptedTypes}: {@code q=0} refuses a type), except that a request with no
 * {@code Accept} (or only {@code *}{@code /*}) and a NumPy body is answered in its body's
 * format, so that {@code requests.post(url, data=npz_bytes)} gets a {@code .npz} back.
 * Also puts {@link TensorJsonHttpMessageConverter} in the JSON converter's place, so that
 * {@code Accept: application/json; nonfinite=null} writes non-finite numbers as
 * {@code null}.
 */
@Configuration(proxyBeanMethods = false)
class NumpyContentNegotiation implements WebMvcConfigurer, ContentNegotiationStrategy {

	private final HeaderContentNegotiationStrategy header = new HeaderContentNegotiationStrategy();

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.configureMessageConvertersList((converters) -> converters
			.replaceAll((converter) -> (converter.getClass() == JacksonJsonHttpMessageConverter.class)
					? new TensorJsonHttpMessageConverter(((JacksonJsonHttpMessageConverter) converter).getMapper())
					: converter));
	}

	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		configurer.strategies(List.of(this));
	}

	@Override
	public List<MediaType> resolveMediaTypes(NativeWebRequest request) throws HttpMediaTypeNotAcceptableException {
		String[] accept = request.getHeaderValues(HttpHeaders.ACCEPT);
		if (accept != null && !(accept.length == 1 && accept[0].trim().equals(MediaType.ALL_VALUE))) {
			return AcceptedTypes.of(this.header.resolveMediaTypes(request));
		}
		MediaType body = contentType(request.getHeader(HttpHeaders.CONTENT_TYPE));
		if (NumpyMediaTypes.isNpz(body)) {
			return List.of(NumpyMediaTypes.NPZ);
		}
		if (NumpyMediaTypes.isNpy(body)) {
			return List.of(NumpyMediaTypes.NPY);
		}
		return MEDIA_TYPE_ALL_LIST;
	}

	private static @Nullable MediaType contentType(@Nullable String header) {
		try {
			return (header != null) ? MediaType.parseMediaType(header) : null;
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}

}
