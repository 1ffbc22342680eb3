package io.softmaxservice.system;

import io.micrometer.common.KeyValue;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Tags {@code http.server.requests} with the problem type of an error answer (e.g.
 * {@code exception="invalid-input"}) instead of an exception class name, which would name
 * the service's internals in its metrics. Answers without a problem are tagged
 * {@code none}.
 */
@Component
class ProblemTags extends DefaultServerRequestObservationConvention {

	private static final String TYPE = ProblemTags.class.getName() + ".type";

	private static final KeyValue NONE = KeyValue.of("exception", KeyValue.NONE_VALUE);

	/**
	 * Remembers the problem type of the current request's answer, for its metrics.
	 * @param type the problem type
	 */
	static void record(ProblemType type) {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes != null) {
			attributes.setAttribute(TYPE, type.slug(), RequestAttributes.SCOPE_REQUEST);
		}
	}

	@Override
	protected KeyValue exception(ServerRequestObservationContext context) {
		HttpServletRequest request = context.getCarrier();
		if (request.getAttribute(TYPE) instanceof String type) {
			return KeyValue.of("exception", type);
		}
		int status = (context.getResponse() != null) ? context.getResponse().getStatus() : 0;
		return (status >= 400) ? KeyValue.of("exception", ProblemType.forStatus(status).slug()) : NONE;
	}

}
