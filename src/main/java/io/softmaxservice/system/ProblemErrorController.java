package io.softmaxservice.system;

import java.net.URI;
import java.net.URISyntaxException;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page: what the servlet container forwards to when a request fails outside
 * Spring MVC's handlers (a method Tomcat refuses, too many cookies, a protected path, a
 * failure in a filter). Answers with the service's problem details, whatever the method;
 * requested directly, {@code /error} is not an endpoint (404).
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

	private static final Log log = LogFactory.getLog(ProblemErrorController.class);

	@RequestMapping(path = "${server.error.path:${error.path:/error}}", produces = MediaType.ALL_VALUE)
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		int status = (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code) ? code : 404;
		Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		if (status >= 500 && failure != null) {
			log.error("Unexpected failure", failure);
		}
		String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (status < 400) {
			status = 500;
		}
		ProblemType type = ProblemType.forStatus(status);
		ProblemTags.record(type);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status),
				ProblemErrorReportValve.detail(status));
		problem.setType(type.type());
		problem.setTitle(ProblemWriter.title(type, status));
		problem.setInstance(instance(path));
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	/** The path of the request that failed, quoted where it is not a valid URI. */
	private static @Nullable URI instance(@Nullable String path) {
		if (path == null) {
			return null;
		}
		try {
			return new URI(null, null, path, null);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
