package io.softmaxservice.system;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.http11.AbstractHttp11Protocol;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * What the service changes in Tomcat: problem details instead of Tomcat's HTML error
 * pages ({@link ProblemErrorReportValve}), an idle timeout on body uploads
 * ({@code softmax.upload.timeout}), no draining of a body that timed out, and socket
 * buffers that take large bodies and answers in fewer system calls.
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	/**
	 * A request attribute: leave the rest of this request's body unread and close the
	 * connection after the answer.
	 */
	static final String ABANDON_BODY = TomcatConfiguration.class.getName() + ".abandonBody";

	/** The bytes of an answer each connection hands to the socket at once. */
	static final int SOCKET_WRITE_BUFFER = 32 * 1024;

	/** The bytes of a body each connection takes from the socket at once. */
	static final int SOCKET_READ_BUFFER = 64 * 1024;

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatHardening(SoftmaxProperties properties,
			ComputeTurns turns) {
		int uploadTimeout = (int) Math.min(Integer.MAX_VALUE, properties.upload().timeout().toMillis());
		return (factory) -> {
			factory.addContextCustomizers((context) -> {
				if (context.getParent() instanceof StandardHost host) {
					for (Valve valve : host.getPipeline().getValves()) {
						if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
							host.getPipeline().removeValve(valve);
						}
					}
					host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
					host.getPipeline().addValve(new ProblemErrorReportValve());
				}
			});
			factory.addContextValves(new AbandonBodyValve(), new TurnValve(turns));
			factory.addConnectorCustomizers((connector) -> {
				if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
					http.setDisableUploadTimeout(false);
					http.setConnectionUploadTimeout(uploadTimeout);
				}
				// Tomcat moves bodies and answers through each connection's socket
				// buffers, one read(2) or write(2) per buffer. Writing, 8 KiB made ~90
				// system calls for a 720 KB answer (jacobian_small), and 32 KiB costs
				// 0.3-0.6 ms less CPU per request. Reading, 8 KiB made 2,000 calls for a
				// 16 MB .npz body, and 64 KiB cut the system time of large_npz from
				// 16-17 to 11-13 ms per request. The buffers live as long as their
				// connection, so server.tomcat.max-connections bounds what they hold.
				setSocketProperty(connector, "socket.appWriteBufSize", SOCKET_WRITE_BUFFER);
				setSocketProperty(connector, "socket.appReadBufSize", SOCKET_READ_BUFFER);
			});
		};
	}

	private static void setSocketProperty(Connector connector, String name, int bytes) {
		if (!connector.setProperty(name, String.valueOf(bytes))) {
			throw new IllegalStateException("Tomcat has no " + name);
		}
	}

	/**
	 * Tells Tomcat not to read the rest of a body the application gave up on (see
	 * {@link #ABANDON_BODY}), and to close the connection after the answer instead.
	 * Tomcat marks that as an error of the request, which has it dispatch the request to
	 * the error page; when the answer has been written already (a {@code 413} from the
	 * body filter), that would only fail to write a second one, so the error is marked as
	 * reported. An answer not yet written (a {@code 408}) is the error page's to write.
	 */
	static class AbandonBodyValve extends ValveBase {

		AbandonBodyValve() {
			super(true);
		}

		@Override
		public void invoke(Request request, Response response) throws IOException, ServletException {
			try {
				getNext().invoke(request, response);
			}
			finally {
				if (request.getAttribute(ABANDON_BODY) != null) {
					request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
					if (response.isCommitted()) {
						response.setErrorReported();
					}
				}
			}
		}

	}

	/**
	 * Has a POST whose whole body is already in Tomcat's buffer (a small request) take a
	 * {@link ComputeTurns turn} before it is handled; the turn is given back before the
	 * answer is written, or here at the latest.
	 */
	static class TurnValve extends ValveBase {

		private final ComputeTurns turns;

		TurnValve(ComputeTurns turns) {
			super(true);
			this.turns = turns;
		}

		@Override
		public void invoke(Request request, Response response) throws IOException, ServletException {
			if (!hasArrived(request)) {
				getNext().invoke(request, response);
				return;
			}
			this.turns.take(request);
			try {
				getNext().invoke(request, response);
			}
			finally {
				this.turns.giveBack(request);
			}
		}

		private static boolean hasArrived(Request request) {
			long length = request.getContentLengthLong();
			if (length < 0 || !"POST".equals(request.getMethod())) {
				return false;
			}
			org.apache.coyote.Request coyote = request.getCoyoteRequest();
			coyote.action(ActionCode.AVAILABLE, Boolean.FALSE);
			return coyote.getAvailable() >= length;
		}

	}

}
