package io.softmaxservice.launch;

/**
 * A start class for the launcher's tests: it tells, in system properties, how it was
 * started.
 */
public final class LaunchedApplication {

	private LaunchedApplication() {
	}

	public static void main(String[] args) {
		ClassLoader loader = LaunchedApplication.class.getClassLoader();
		System.setProperty("launched.args", String.join(",", args));
		System.setProperty("launched.loader", String.valueOf(loader.getName()));
		System.setProperty("launched.contextLoader",
				String.valueOf(Thread.currentThread().getContextClassLoader() == loader));
		System.setProperty("launched.libA", String.valueOf(loader.getResource(BootJarFixture.LIB_A_RESOURCE) != null));
	}

}
