package io.softmaxservice.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes small jars laid out as Spring Boot's repackaging lays them out: the manifest
 * first, the loader at the root, then {@code BOOT-INF/classes/}, the nested jars stored
 * uncompressed in {@code BOOT-INF/lib/}, and the class path index.
 */
final class BootJarFixture {

	static final String LIB_A = "a-1.0.jar";

	static final String LIB_B = "b-2.0.jar";

	/** A resource only {@link #LIB_A} holds. */
	static final String LIB_A_RESOURCE = "from-lib-a.txt";

	/** Every entry's time, as Spring Boot's repackaging sets it (1 February 1980). */
	static final long TIME = 318211200000L;

	private final Map<String, byte[]> entries = new LinkedHashMap<>();

	private final List<String> stored = new ArrayList<>();

	private String mainClass = ClassPathLauncher.JAR_LAUNCHER;

	private String startClass = LaunchedApplication.class.getName();

	/**
	 * The usual jar: the loader, this package's and the launched classes, two nested jars
	 * indexed b before a.
	 */
	static BootJarFixture typical() {
		BootJarFixture jar = new BootJarFixture();
		jar.entry("org/springframework/boot/loader/launch/JarLauncher.class", "not a real class");
		for (String folder : List.of("", "io/", "io/softmaxservice/", "io/softmaxservice/launch/")) {
			jar.entry(BootJar.CLASSES + folder, new byte[0]);
		}
		for (Class<?> type : List.of(ClassPathLauncher.class, ClassPathLauncher.Launch.class, UnpackedJar.class,
				BootJar.class, LauncherInstaller.class, LaunchedApplication.class, FailingApplication.class)) {
			jar.entry(BootJar.CLASSES + type.getName().replace('.', '/') + ".class", classBytes(type));
		}
		jar.entry(BootJar.CLASSES + "application.yaml", "answer: 42\n");
		jar.library(LIB_A, nestedJar(LIB_A_RESOURCE, "a"));
		jar.library(LIB_B, nestedJar("from-lib-b.txt", "b"));
		jar.entry(BootJar.INDEX, "- \"" + BootJar.LIB + LIB_B + "\"\n- \"" + BootJar.LIB + LIB_A + "\"\n");
		return jar;
	}

	BootJarFixture entry(String name, String text) {
		return entry(name, text.getBytes(StandardCharsets.UTF_8));
	}

	BootJarFixture entry(String name, byte[] bytes) {
		this.entries.put(name, bytes);
		return this;
	}

	BootJarFixture library(String fileName, byte[] bytes) {
		this.stored.add(BootJar.LIB + fileName);
		return entry(BootJar.LIB + fileName, bytes);
	}

	/** Renames an entry in its place. */
	BootJarFixture renamed(String from, String to) {
		Map<String, byte[]> copy = new LinkedHashMap<>(this.entries);
		this.entries.clear();
		copy.forEach((name, bytes) -> this.entries.put(name.equals(from) ? to : name, bytes));
		return this;
	}

	BootJarFixture without(String name) {
		this.entries.remove(name);
		return this;
	}

	BootJarFixture mainClass(String mainClass) {
		this.mainClass = mainClass;
		return this;
	}

	BootJarFixture startClass(String startClass) {
		this.startClass = startClass;
		return this;
	}

	Path writeTo(Path path) throws IOException {
		Manifest manifest = new Manifest();
		Attributes attributes = manifest.getMainAttributes();
		attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
		attributes.put(Attributes.Name.IMPLEMENTATION_TITLE, "fixture");
		attributes.put(Attributes.Name.IMPLEMENTATION_VERSION, "9.9.9");
		attributes.put(Attributes.Name.MAIN_CLASS, this.mainClass);
		if (!this.startClass.isEmpty()) {
			attributes.putValue("Start-Class", this.startClass);
		}
		Files.createDirectories(path.getParent());
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(path))) {
			ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
			manifest.write(manifestBytes);
			write(out, JarFile.MANIFEST_NAME, manifestBytes.toByteArray(), false);
			for (Map.Entry<String, byte[]> entry : this.entries.entrySet()) {
				write(out, entry.getKey(), entry.getValue(), this.stored.contains(entry.getKey()));
			}
		}
		return path;
	}

	static byte[] nestedJar(String resource, String text) {
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (ZipOutputStream out = new ZipOutputStream(bytes)) {
				write(out, resource, text.getBytes(StandardCharsets.UTF_8), false);
			}
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static byte[] classBytes(Class<?> type) {
		String name = type.getName().substring(type.getPackageName().length() + 1) + ".class";
		try (InputStream in = type.getResourceAsStream(name)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(ZipOutputStream out, String name, byte[] bytes, boolean stored) throws IOException {
		ZipEntry entry = new ZipEntry(name);
		entry.setTime(TIME);
		if (stored) {
			CRC32 crc = new CRC32();
			crc.update(bytes);
			entry.setMethod(ZipEntry.STORED);
			entry.setSize(bytes.length);
			entry.setCompressedSize(bytes.length);
			entry.setCrc(crc.getValue());
		}
		out.putNextEntry(entry);
		out.write(bytes);
		out.closeEntry();
	}

}
