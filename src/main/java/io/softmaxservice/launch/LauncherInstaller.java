package io.softmaxservice.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A build step after Spring Boot's repackaging ({@code pom.xml} runs it): makes
 * {@link ClassPathLauncher} the fat jar's {@code Main-Class}, with a copy of this package
 * at the jar's root, then unpacks the jar, so that the first {@code java -jar} after a
 * build starts as fast as the later ones; unless the system property
 * {@value #UNPACK_PROPERTY} is {@code false} (the image's build, which extracts the jar
 * its own way).
 */
public final class LauncherInstaller {

	static final String UNPACK_PROPERTY = "softmax.launcher.unpack";

	private static final String PACKAGE = ClassPathLauncher.class.getPackageName().replace('.', '/') + "/";

	private LauncherInstaller() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 1) {
			throw new IllegalArgumentException("Usage: LauncherInstaller <Spring Boot jar>");
		}
		Path jar = Path.of(args[0]);
		install(jar);
		if (Boolean.parseBoolean(System.getProperty(UNPACK_PROPERTY, "true"))) {
			UnpackedJar.open(jar);
		}
	}

	/**
	 * Rewrites the jar with {@link ClassPathLauncher} as its {@code Main-Class}; the
	 * nested jars stay stored uncompressed, as Spring Boot's launcher needs them. Returns
	 * false for a jar that has it already.
	 */
	static boolean install(Path jar) throws IOException {
		Path rewritten = jar.resolveSibling(jar.getFileName() + ".tmp");
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			Manifest manifest = manifest(zip);
			Attributes attributes = manifest.getMainAttributes();
			String mainClass = attributes.getValue(Attributes.Name.MAIN_CLASS);
			if (ClassPathLauncher.class.getName().equals(mainClass)) {
				return false;
			}
			if (!ClassPathLauncher.JAR_LAUNCHER.equals(mainClass)) {
				throw new IOException(jar + " is not a Spring Boot jar: its Main-Class is " + mainClass);
			}
			attributes.put(Attributes.Name.MAIN_CLASS, ClassPathLauncher.class.getName());
			try {
				write(zip, manifest, rewritten);
			}
			catch (IOException | RuntimeException ex) {
				Files.deleteIfExists(rewritten);
				throw ex;
			}
		}
		Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		return true;
	}

	private static void write(ZipFile zip, Manifest manifest, Path rewritten) throws IOException {
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rewritten))) {
			List<? extends ZipEntry> entries = Collections.list(zip.entries());
			boolean copied = false;
			for (ZipEntry entry : entries) {
				if (!copied && entry.getName().startsWith("BOOT-INF/")) {
					copyLauncher(zip, entries, out);
					copied = true;
				}
				if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
					writeManifest(entry, manifest, out);
				}
				else {
					copy(zip, entry, entry.getName(), out);
				}
			}
			if (!copied) {
				throw new IOException(zip.getName() + " has no BOOT-INF/ entries");
			}
		}
	}

	/**
	 * This package's classes, from the application's classes to the jar's root, with
	 * their folders.
	 */
	private static void copyLauncher(ZipFile zip, List<? extends ZipEntry> entries, ZipOutputStream out)
			throws IOException {
		StringBuilder folder = new StringBuilder();
		for (String part : PACKAGE.split("/")) {
			folder.append(part).append('/');
			if (zip.getEntry(folder.toString()) == null) {
				out.putNextEntry(new ZipEntry(folder.toString()));
				out.closeEntry();
			}
		}
		for (ZipEntry entry : entries) {
			String name = entry.getName();
			if (name.startsWith(BootJar.CLASSES + PACKAGE) && name.endsWith(".class")
					&& name.indexOf('/', BootJar.CLASSES.length() + PACKAGE.length()) < 0) {
				copy(zip, entry, name.substring(BootJar.CLASSES.length()), out);
			}
		}
	}

	private static void copy(ZipFile zip, ZipEntry entry, String name, ZipOutputStream out) throws IOException {
		ZipEntry copy = new ZipEntry(name);
		copy.setTime(entry.getTime());
		if (entry.getMethod() == ZipEntry.STORED) {
			copy.setMethod(ZipEntry.STORED);
			copy.setSize(entry.getSize());
			copy.setCompressedSize(entry.getSize());
			copy.setCrc(entry.getCrc());
		}
		out.putNextEntry(copy);
		try (InputStream in = zip.getInputStream(entry)) {
			in.transferTo(out);
		}
		out.closeEntry();
	}

	private static void writeManifest(ZipEntry entry, Manifest manifest, ZipOutputStream out) throws IOException {
		ZipEntry copy = new ZipEntry(entry.getName());
		copy.setTime(entry.getTime());
		out.putNextEntry(copy);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		manifest.write(bytes);
		bytes.writeTo(out);
		out.closeEntry();
	}

	private static Manifest manifest(ZipFile zip) throws IOException {
		ZipEntry entry = zip.getEntry(JarFile.MANIFEST_NAME);
		if (entry == null) {
			throw new IOException(zip.getName() + " has no manifest");
		}
		try (InputStream in = zip.getInputStream(entry)) {
			return new Manifest(in);
		}
	}

}
