package io.softmaxservice.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Writes a problem detail straight to a servlet response, for the places below Spring MVC
 * (filters, Tomcat's error report) that cannot return one from a handler. The JSON is
 * built by hand: these places have no {@code JsonMapper}, and the fields are few.
 */
final class ProblemWriter {

	private ProblemWriter() {
	}

	/**
	 * Writes the problem, replacing anything buffered, if the response is not committed.
	 * @param response the response
	 * @param type the kind of problem
	 * @param status the status, which for a generic type may differ from the type's
	 * @param detail one sentence that says what to fix
	 * @param instance the request path, or {@code null}
	 * @throws IOException if the client cannot be written to
	 */
	static void write(HttpServletResponse response, ProblemType type, int status, String detail,
			@Nullable String instance) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setHeader("X-Content-Type-Options", "nosniff");
		byte[] body = json(type, status, detail, instance).getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
		response.flushBuffer();
	}

	/**
	 * The title for a status: the type's own, or for a generic type the status' reason.
	 * @param type the problem type
	 * @param status the status
	 * @return the title
	 */
	static String title(ProblemType type, int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return (type.status().value() == status || known == null) ? type.title() : known.getReasonPhrase();
	}

	static String json(ProblemType type, int status, String detail, @Nullable String instance) {
		String title = title(type, status);
		StringBuilder json = new StringBuilder(256).append("{\"type\":");
		string(json, type.type().toString()).append(",\"title\":");
		string(json, title).append(",\"status\":").append(status).append(",\"detail\":");
		string(json, detail);
		if (instance != null) {
			string(json.append(",\"instance\":"), instance);
		}
		return json.append('}').toString();
	}

	private static StringBuilder string(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
				json.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"');
	}

}
