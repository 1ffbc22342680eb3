package io.softmaxservice.numpy;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.softmaxservice.system.WorkBudgetShare;
import io.softmaxservice.tensor.Tensor;
import io.softmaxservice.tensor.TensorBytes;
import io.softmaxservice.tensor.TensorLimits;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Reads {@code application/x-npz} and {@code application/x-npy} bodies into the
 * endpoints' request records (the other fields from the query string), and writes their
 * response records as {@code .npz} (a member per field that is set, named as in JSON) or
 * {@code .npy} (the answer's single field). Controllers list the types in
 * {@code consumes} and {@code produces}; nothing else in them knows the format.
 */
@Component
class NumpyHttpMessageConverter implements HttpMessageConverter<Object> {

	private final NumpyRequestBinder binder;

	NumpyHttpMessageConverter(TensorLimits limits, WorkBudgetShare budget) {
		// A compressed archive inflates to up to a thousand times its size: the request
		// takes its share of the work budget for that, not for its body alone, before it
		// inflates anything.
		this.binder = new NumpyRequestBinder(limits.maxElements(), budget::reserve);
	}

	@Override
	public boolean canRead(Class<?> type, @Nullable MediaType mediaType) {
		return (NumpyMediaTypes.isNpz(mediaType) || NumpyMediaTypes.isNpy(mediaType)) && RecordFields.hasTensors(type);
	}

	@Override
	public boolean canWrite(Class<?> type, @Nullable MediaType mediaType) {
		return canRead(type, mediaType);
	}

	@Override
	public List<MediaType> getSupportedMediaTypes() {
		return List.of(NumpyMediaTypes.NPZ, NumpyMediaTypes.NPY);
	}

	@Override
	public Object read(Class<?> type, HttpInputMessage inputMessage) throws IOException {
		// The body is read into an array of its own, which nothing else keeps: the answer
		// may be written into it (see NumpyRequestBinder).
		byte[] body = TensorBytes.readBody(inputMessage.getBody(), inputMessage.getHeaders().getContentLength());
		String query = (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest().getQueryString() : null;
		return NumpyMediaTypes.isNpy(inputMessage.getHeaders().getContentType())
				? this.binder.bindArray(type, body, query, true) : this.binder.bindArchive(type, body, query, true);
	}

	@Override
	public void write(Object value, @Nullable MediaType contentType, HttpOutputMessage outputMessage)
			throws IOException {
		Map<String, Tensor> tensors = RecordFields.of(value.getClass()).tensors(value);
		HttpHeaders headers = outputMessage.getHeaders();
		if (NumpyMediaTypes.isNpy(contentType)) {
			if (tensors.size() != 1) {
				throw new HttpMessageNotWritableException("An answer of " + tensors.size() + " fields is no .npy");
			}
			Tensor tensor = tensors.values().iterator().next();
			headers.setContentType(NumpyMediaTypes.NPY);
			headers.setContentLength(NpyWriter.size(tensor));
			NpyWriter.write(tensor, outputMessage.getBody());
		}
		else {
			headers.setContentType(NumpyMediaTypes.NPZ);
			headers.setContentLength(NpzWriter.size(tensors));
			NpzWriter.write(tensors, outputMessage.getBody());
		}
	}

}
