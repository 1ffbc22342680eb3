package io.softmaxservice.system;

import java.io.IOException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tomcat's error report, for the errors that never reach the application: a request line,
 * URL, header or {@code Host} the connector rejects, or a method it refuses. It writes
 * the service's problem details (with the right status) where Tomcat would write an HTML
 * page.
 */
class ProblemErrorReportValve extends ErrorReportValve {

	private static final Log log = LogFactory.getLog(ProblemErrorReportValve.class);

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		if (throwable != null && status >= 500) {
			log.error("Unexpected failure", throwable);
		}
		ProblemType type = ProblemType.forStatus(status);
		try {
			response.setSuspended(false);
			ProblemWriter.write(response.getResponse(), type, status, detail(status), null);
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone, or the response was taken over: nothing more to send.
		}
	}

	/**
	 * What to fix, for the statuses Tomcat answers by itself.
	 * @param status the status
	 * @return one sentence
	 */
	static String detail(int status) {
		return switch (status) {
			case 400 -> "The request is not valid HTTP/1.1 (its request line, a header, the Host or the URL's "
					+ "encoding); send a well-formed request.";
			case 404 -> "There is no endpoint at this path; see /swagger-ui.html for the endpoints.";
			case 405 -> "This method is not allowed here; see the Allow header.";
			case 408 -> "The request did not arrive in time; send it faster.";
			case 413 -> "The request is larger than this service accepts; send a smaller one.";
			case 414 -> "The request's URL is too long; send a shorter one.";
			case 415 -> "The request body's type or encoding is not supported; send application/json in UTF-8.";
			case 431 -> "The request's headers are too large; send fewer or shorter headers.";
			case 501 -> "This method is not implemented; the endpoints answer GET, POST and OPTIONS.";
			case 505 -> "This HTTP version is not supported; send HTTP/1.1.";
			default -> (status >= 500) ? "The service failed to answer this request; try again later."
					: "The request cannot be answered; see the status.";
		};
	}

}
