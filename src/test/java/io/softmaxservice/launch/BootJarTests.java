package io.softmaxservice.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class BootJarTests {

	@TempDir
	Path temp;

	@Test
	void startClassIsTheManifests() throws IOException {
		try (BootJar jar = BootJar.open(BootJarFixture.typical().writeTo(this.temp.resolve("app.jar")))) {
			assertThat(jar.startClass()).isEqualTo(LaunchedApplication.class.getName());
		}
	}

	@Test
	void openWhenManifestHasNoStartClassFails() throws IOException {
		Path path = BootJarFixture.typical().startClass("").writeTo(this.temp.resolve("plain.jar"));
		assertThatIOException().isThrownBy(() -> BootJar.open(path))
			.withMessage(path + " is not a Spring Boot jar: its manifest has no Start-Class");
	}

	@Test
	void librariesFollowTheClassPathIndexThenTheJar() throws IOException {
		Path path = BootJarFixture.typical()
			.library("c-3.0.jar", BootJarFixture.nestedJar("c.txt", "c"))
			.writeTo(this.temp.resolve("app.jar"));
		try (BootJar jar = BootJar.open(path)) {
			assertThat(jar.libraries()).containsExactly(BootJarFixture.LIB_B, BootJarFixture.LIB_A, "c-3.0.jar");
		}
	}

	@Test
	void librariesWithoutIndexFollowTheJar() throws IOException {
		Path path = BootJarFixture.typical().without(BootJar.INDEX).writeTo(this.temp.resolve("app.jar"));
		try (BootJar jar = BootJar.open(path)) {
			assertThat(jar.libraries()).containsExactly(BootJarFixture.LIB_A, BootJarFixture.LIB_B);
		}
	}

	@Test
	void librariesLeaveOutWhatIsNotAJarDirectlyInLib() throws IOException {
		Path path = BootJarFixture.typical()
			.entry(BootJar.LIB + "nested/d.jar", "d")
			.entry(BootJar.LIB + "notes.txt", "e")
			.entry(BootJar.LIB + ".hidden.jar", "f")
			.entry(BootJar.INDEX,
					"- \"" + BootJar.LIB + "nested/d.jar\"\n- \"" + BootJar.LIB + BootJarFixture.LIB_A + "\"\n")
			.writeTo(this.temp.resolve("app.jar"));
		try (BootJar jar = BootJar.open(path)) {
			assertThat(jar.libraries()).containsExactly(BootJarFixture.LIB_A, BootJarFixture.LIB_B);
		}
	}

	@Test
	void fingerprintIsTheSameForACopyAndChangesWithTheContent() throws IOException {
		Path original = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		Path copy = Files.copy(original, this.temp.resolve("copy.jar"));
		Path changed = BootJarFixture.typical()
			.entry(BootJar.CLASSES + "application.yaml", "answer: 43\n")
			.writeTo(this.temp.resolve("changed.jar"));
		assertThat(fingerprint(original)).hasSize(24).matches("[0-9a-f]+").isEqualTo(fingerprint(copy));
		assertThat(fingerprint(changed)).isNotEqualTo(fingerprint(original));
		Path renamed = BootJarFixture.typical()
			.renamed(BootJar.CLASSES + "application.yaml", BootJar.CLASSES + "application.yml")
			.writeTo(this.temp.resolve("renamed.jar"));
		assertThat(fingerprint(renamed)).isNotEqualTo(fingerprint(original));
	}

	@Test
	void unpackWritesTheClassesToApplicationJarAndTheLibrariesToLib() throws IOException {
		Path path = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		Path folder = Files.createDirectories(this.temp.resolve("unpacked"));
		try (BootJar jar = BootJar.open(path)) {
			jar.unpackTo(folder);
		}
		assertThat(folder.resolve("lib/" + BootJarFixture.LIB_A))
			.hasBinaryContent(BootJarFixture.nestedJar(BootJarFixture.LIB_A_RESOURCE, "a"));
		assertThat(folder.resolve("lib/" + BootJarFixture.LIB_B))
			.hasBinaryContent(BootJarFixture.nestedJar("from-lib-b.txt", "b"));
		try (Stream<Path> names = Files.list(folder.resolve("lib"))) {
			assertThat(names.toList()).hasSize(2);
		}
		try (JarFile application = new JarFile(folder.resolve("application.jar").toFile())) {
			Attributes attributes = application.getManifest().getMainAttributes();
			assertThat(attributes.getValue("Implementation-Title")).isEqualTo("fixture");
			assertThat(attributes.getValue("Implementation-Version")).isEqualTo("9.9.9");
			assertThat(attributes.getValue("Main-Class")).isNull();
			assertThat(attributes.getValue("Start-Class")).isNull();
			assertThat(Collections.list(application.entries()).stream().map(ZipEntry::getName))
				.contains("io/softmaxservice/launch/LaunchedApplication.class", "application.yaml",
						"io/softmaxservice/launch/", "io/")
				.noneMatch((name) -> name.isEmpty() || name.startsWith("BOOT-INF") || name.startsWith("org/"));
			assertThat(application.getInputStream(application.getEntry("application.yaml"))).hasContent("answer: 42\n");
		}
	}

	private static String fingerprint(Path path) throws IOException {
		try (BootJar jar = BootJar.open(path)) {
			return jar.fingerprint();
		}
	}

}
