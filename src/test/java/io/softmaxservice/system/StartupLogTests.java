package io.softmaxservice.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start as operators see it: nothing in the log asks for their attention. The context
 * is this class's own (its property is unique), so its start is captured.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.application.name=startup-log-tests")
class StartupLogTests {

	@Test
	void startLogsNoWarningOrError(CapturedOutput output) {
		assertThat(output).contains("Ready on port").doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

}
