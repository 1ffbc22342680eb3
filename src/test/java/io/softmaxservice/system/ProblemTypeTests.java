package io.softmaxservice.system;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProblemType}: type URIs are the same under every default locale.
 */
class ProblemTypeTests {

	@Test
	void typeUrisAreLocaleFreeUnderATurkishDefaultLocale() throws Exception {
		Locale saved = Locale.getDefault();
		try {
			Locale.setDefault(Locale.forLanguageTag("tr-TR"));
			// Built in a fresh class loader, so that the enum's constants are made under
			// the Turkish locale even if another test loaded the class first.
			URL[] classPath = { ProblemType.class.getProtectionDomain().getCodeSource().getLocation(),
					HttpStatus.class.getProtectionDomain().getCodeSource().getLocation() };
			try (URLClassLoader loader = new URLClassLoader(classPath, ClassLoader.getPlatformClassLoader())) {
				Class<?> fresh = Class.forName(ProblemType.class.getName(), true, loader);
				for (Object constant : fresh.getEnumConstants()) {
					Method type = fresh.getDeclaredMethod("type");
					type.setAccessible(true);
					assertThat(type.invoke(constant).toString()).matches("urn:softmax-service:problem:[a-z-]+");
				}
			}
		}
		finally {
			Locale.setDefault(saved);
		}
	}

	@Test
	void forStatusKeepsGenericTypesForStatusesWithoutTheirOwn() {
		assertThat(ProblemType.forStatus(418)).isEqualTo(ProblemType.BAD_REQUEST);
		assertThat(ProblemType.forStatus(414)).isEqualTo(ProblemType.URI_TOO_LONG);
		assertThat(ProblemType.forStatus(502)).isEqualTo(ProblemType.INTERNAL_ERROR);
		assertThat(ProblemWriter.title(ProblemType.BAD_REQUEST, 418)).isEqualTo("I'm a teapot");
	}

}
