package io.softmaxservice.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

import org.jspecify.annotations.Nullable;

/**
 * The jar's {@code Main-Class}: starts the application from the jar's classes and nested
 * jars unpacked once beside it ({@link UnpackedJar}), about a second sooner than Spring
 * Boot's launcher, which reads every class out of a nested jar. It hands over to Spring
 * Boot's launcher for {@code -Djarmode} and where the jar cannot be unpacked.
 * <p>
 * A copy of this package sits at the jar's root (see {@link LauncherInstaller}), where
 * the JVM's class loader finds it; the application's own class loader does not see it.
 */
public final class ClassPathLauncher {

	/** Spring Boot's launcher, at the root of the jar too. */
	static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

	private ClassPathLauncher() {
	}

	public static void main(String[] args) throws Throwable {
		launch(ownJar(), System.getProperty("jarmode"), System.err).run(args);
	}

	/** What to start: the unpacked jar's start class, or Spring Boot's launcher. */
	static Launch launch(@Nullable Path jar, @Nullable String jarMode, PrintStream log) {
		if (jar != null && jarMode == null) {
			try {
				UnpackedJar unpacked = UnpackedJar.open(jar);
				return new Launch(unpacked.classLoader(), unpacked.startClass());
			}
			catch (IOException | RuntimeException ex) {
				log.println("Cannot unpack " + jar + " into " + jar.getFileName() + UnpackedJar.SUFFIX + " beside it ("
						+ ex + "): starting from its nested jars, which takes about a second longer");
			}
		}
		return new Launch(ClassPathLauncher.class.getClassLoader(), JAR_LAUNCHER);
	}

	/**
	 * The jar this class was loaded from, or null when it was not loaded from a jar file.
	 */
	static @Nullable Path ownJar() {
		CodeSource source = ClassPathLauncher.class.getProtectionDomain().getCodeSource();
		if (source == null) {
			return null;
		}
		try {
			Path path = Path.of(source.getLocation().toURI());
			return Files.isRegularFile(path) ? path : null;
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * A main class and the class loader to run it with, as the thread's context class
	 * loader too.
	 */
	record Launch(ClassLoader classLoader, String mainClass) {

		void run(String[] args) throws Throwable {
			Thread.currentThread().setContextClassLoader(this.classLoader);
			try {
				Class.forName(this.mainClass, false, this.classLoader)
					.getMethod("main", String[].class)
					.invoke(null, (Object) args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

}
