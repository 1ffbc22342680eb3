package io.softmaxservice.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.softmaxservice.launch.ClassPathLauncher.Launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ClassPathLauncherTests {

	@TempDir
	Path temp;

	private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

	private final PrintStream log = new PrintStream(this.logged, true, StandardCharsets.UTF_8);

	@AfterEach
	void clearProperties() {
		System.getProperties().keySet().removeIf((key) -> key.toString().startsWith("launched."));
	}

	@Test
	void launchRunsTheStartClassFromTheUnpackedJar() throws Throwable {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		Launch launch = ClassPathLauncher.launch(jar, null, this.log);
		assertThat(launch.mainClass()).isEqualTo(LaunchedApplication.class.getName());
		ClassLoader context = Thread.currentThread().getContextClassLoader();
		try {
			launch.run(new String[] { "--server.port=0", "x" });
		}
		finally {
			Thread.currentThread().setContextClassLoader(context);
		}
		assertThat(System.getProperty("launched.args")).isEqualTo("--server.port=0,x");
		assertThat(System.getProperty("launched.loader")).isEqualTo("app");
		assertThat(System.getProperty("launched.contextLoader")).isEqualTo("true");
		assertThat(System.getProperty("launched.libA")).isEqualTo("true");
		assertThat(this.logged.toString(StandardCharsets.UTF_8)).isEmpty();
	}

	@Test
	void launchWithJarModeHandsOverToSpringBootsLauncherWithoutUnpacking() {
		Path jar = this.temp.resolve("app.jar");
		Launch launch = ClassPathLauncher.launch(jar, "tools", this.log);
		assertThat(launch.mainClass()).isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
		assertThat(launch.classLoader()).isSameAs(ClassPathLauncher.class.getClassLoader());
		assertThat(this.temp.resolve("app.jar.unpacked")).doesNotExist();
		assertThat(this.logged.toString(StandardCharsets.UTF_8)).isEmpty();
	}

	@Test
	void launchWhenTheJarCannotBeUnpackedHandsOverToSpringBootsLauncherAndSaysWhy() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		Files.writeString(this.temp.resolve("app.jar.unpacked"), "a file where the folder would go");
		Launch launch = ClassPathLauncher.launch(jar, null, this.log);
		assertThat(launch.mainClass()).isEqualTo(ClassPathLauncher.JAR_LAUNCHER);
		assertThat(launch.classLoader()).isSameAs(ClassPathLauncher.class.getClassLoader());
		assertThat(this.logged.toString(StandardCharsets.UTF_8))
			.startsWith("Cannot unpack " + jar + " into app.jar.unpacked beside it (")
			.endsWith("): starting from its nested jars, which takes about a second longer" + System.lineSeparator());
	}

	@Test
	void launchWithoutAJarHandsOverToSpringBootsLauncher() {
		Launch launch = ClassPathLauncher.launch(null, null, this.log);
		assertThat(launch.mainClass()).isEqualTo(ClassPathLauncher.JAR_LAUNCHER);
	}

	@Test
	void ownJarWhenLoadedFromAFolderOfClassesIsNull() {
		assertThat(Path.of("target/classes/io/softmaxservice/launch/ClassPathLauncher.class")).isRegularFile();
		assertThat(ClassPathLauncher.ownJar()).isNull();
	}

	@Test
	void runThrowsWhatTheMainMethodThrows() throws IOException {
		Path jar = BootJarFixture.typical()
			.startClass(FailingApplication.class.getName())
			.writeTo(this.temp.resolve("app.jar"));
		Launch launch = ClassPathLauncher.launch(jar, null, this.log);
		ClassLoader context = Thread.currentThread().getContextClassLoader();
		try {
			assertThatIllegalStateException().isThrownBy(() -> launch.run(new String[] { "a", "b" }))
				.withMessage("failed on purpose: a,b");
		}
		finally {
			Thread.currentThread().setContextClassLoader(context);
		}
	}

}
