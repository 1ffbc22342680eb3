package io.softmaxservice.launch;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.jspecify.annotations.Nullable;

/**
 * A Spring Boot fat jar as the launcher reads it: its start class, its nested jars in the
 * order of its class path index, a fingerprint of its content, and its unpacking onto a
 * plain class path.
 */
final class BootJar implements Closeable {

	static final String CLASSES = "BOOT-INF/classes/";

	static final String LIB = "BOOT-INF/lib/";

	static final String INDEX = "BOOT-INF/classpath.idx";

	/** The jar that holds the application's classes, first on the unpacked class path. */
	static final String APPLICATION_JAR = "application.jar";

	/** The folder of the nested jars on the unpacked class path. */
	static final String LIB_FOLDER = "lib";

	private final JarFile jar;

	private final Manifest manifest;

	private BootJar(JarFile jar, Manifest manifest) {
		this.jar = jar;
		this.manifest = manifest;
	}

	static BootJar open(Path path) throws IOException {
		JarFile jar = new JarFile(path.toFile(), false);
		try {
			Manifest manifest = jar.getManifest();
			if (manifest == null || manifest.getMainAttributes().getValue("Start-Class") == null) {
				throw new IOException(path + " is not a Spring Boot jar: its manifest has no Start-Class");
			}
			return new BootJar(jar, manifest);
		}
		catch (IOException | RuntimeException ex) {
			jar.close();
			throw ex;
		}
	}

	String startClass() {
		return this.manifest.getMainAttributes().getValue("Start-Class");
	}

	/**
	 * The file names of the nested jars: those of the class path index in its order, then
	 * any other in the jar's order, as Spring Boot's launcher orders them.
	 */
	List<String> libraries() throws IOException {
		Set<String> names = new LinkedHashSet<>();
		ZipEntry index = this.jar.getEntry(INDEX);
		if (index != null) {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(this.jar.getInputStream(index), StandardCharsets.UTF_8))) {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					String entry = line.strip();
					String name = (entry.startsWith("- \"") && entry.endsWith("\""))
							? libraryName(entry.substring(3, entry.length() - 1)) : null;
					if (name != null) {
						names.add(name);
					}
				}
			}
		}
		for (ZipEntry entry : Collections.list(this.jar.entries())) {
			String name = libraryName(entry.getName());
			if (name != null) {
				names.add(name);
			}
		}
		return new ArrayList<>(names);
	}

	/**
	 * A digest of every entry's name, size and CRC-32, all read from the jar's central
	 * directory: a rebuilt jar with other content gets another one, a copied jar the
	 * same.
	 */
	String fingerprint() {
		MessageDigest digest = sha256();
		for (ZipEntry entry : Collections.list(this.jar.entries())) {
			digest.update(entry.getName().getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(Long.toString(entry.getSize()).getBytes(StandardCharsets.US_ASCII));
			digest.update((byte) ':');
			digest.update(Long.toString(entry.getCrc()).getBytes(StandardCharsets.US_ASCII));
			digest.update((byte) '\n');
		}
		return HexFormat.of().formatHex(digest.digest(), 0, 12);
	}

	/**
	 * Writes the application's classes to {@code application.jar} (with the jar's
	 * {@code Implementation-*} attributes, which Spring Boot logs) and the nested jars to
	 * {@code lib/} in {@code folder}.
	 */
	void unpackTo(Path folder) throws IOException {
		Path lib = Files.createDirectories(folder.resolve(LIB_FOLDER));
		try (JarOutputStream classes = new JarOutputStream(Files.newOutputStream(folder.resolve(APPLICATION_JAR)),
				applicationManifest())) {
			for (ZipEntry entry : Collections.list(this.jar.entries())) {
				String library = libraryName(entry.getName());
				if (library != null) {
					try (InputStream in = this.jar.getInputStream(entry)) {
						Files.copy(in, lib.resolve(library));
					}
				}
				else if (entry.getName().startsWith(CLASSES) && entry.getName().length() > CLASSES.length()) {
					classes.putNextEntry(new ZipEntry(entry.getName().substring(CLASSES.length())));
					try (InputStream in = this.jar.getInputStream(entry)) {
						in.transferTo(classes);
					}
					classes.closeEntry();
				}
			}
		}
	}

	/**
	 * The file name of a nested jar's entry, or null for any other entry (a folder
	 * included), and for a name that would not stay in {@code lib/}.
	 */
	private static @Nullable String libraryName(String entryName) {
		if (!entryName.startsWith(LIB) || !entryName.endsWith(".jar")) {
			return null;
		}
		String file = entryName.substring(LIB.length());
		return (file.contains("/") || file.contains("\\") || file.startsWith(".")) ? null : file;
	}

	private Manifest applicationManifest() {
		Manifest application = new Manifest();
		Attributes attributes = application.getMainAttributes();
		attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
		this.manifest.getMainAttributes().forEach((key, value) -> {
			if (key.toString().startsWith("Implementation-")) {
				attributes.put(key, value);
			}
		});
		return application;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.jar.close();
	}

}
