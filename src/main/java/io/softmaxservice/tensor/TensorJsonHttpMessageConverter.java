package io.softmaxservice.tensor;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;

/**
 * The JSON converter, with one switch: an answer negotiated as
 * {@code application/json; nonfinite=null} is written with non-finite numbers as
 * {@code null} (by {@link TensorWriter#NON_FINITE_AS_NULL}), for clients whose JSON
 * parsers refuse the {@code -Infinity} token. It takes the place of the default JSON
 * converter, with the same {@link JsonMapper}.
 */
public class TensorJsonHttpMessageConverter extends JacksonJsonHttpMessageConverter {

	/** The media type parameter that switches non-finite numbers to {@code null}. */
	public static final String NON_FINITE_PARAMETER = "nonfinite";

	public TensorJsonHttpMessageConverter(JsonMapper mapper) {
		super(mapper);
	}

	@Override
	protected ObjectWriter customizeWriter(ObjectWriter writer, @Nullable JavaType javaType,
			@Nullable MediaType contentType) {
		ObjectWriter customized = super.customizeWriter(writer, javaType, contentType);
		if (contentType != null && "null".equals(contentType.getParameter(NON_FINITE_PARAMETER))) {
			return customized.withAttribute(TensorWriter.NON_FINITE_AS_NULL, Boolean.TRUE);
		}
		return customized;
	}

}
