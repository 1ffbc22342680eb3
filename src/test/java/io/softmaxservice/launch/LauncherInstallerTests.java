package io.softmaxservice.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.stream.Stream;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class LauncherInstallerTests {

	private static final String LAUNCHER = "io/softmaxservice/launch/ClassPathLauncher.class";

	@TempDir
	Path temp;

	@Test
	void installMakesClassPathLauncherTheMainClassAndKeepsTheStartClass() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		assertThat(LauncherInstaller.install(jar)).isTrue();
		try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
			Attributes attributes = in.getManifest().getMainAttributes();
			assertThat(attributes.getValue("Main-Class")).isEqualTo(ClassPathLauncher.class.getName());
			assertThat(attributes.getValue("Start-Class")).isEqualTo(LaunchedApplication.class.getName());
			assertThat(attributes.getValue("Implementation-Version")).isEqualTo("9.9.9");
		}
		try (Stream<Path> files = Files.list(this.temp)) {
			assertThat(files.map(Path::getFileName).map(Path::toString)).containsExactly("app.jar");
		}
	}

	@Test
	void installCopiesThisPackagesClassesToTheRootBeforeBootInf() throws IOException {
		Path original = BootJarFixture.typical().writeTo(this.temp.resolve("original.jar"));
		Path jar = Files.copy(original, this.temp.resolve("app.jar"));
		LauncherInstaller.install(jar);
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			List<String> names = Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
			assertThat(names).containsSubsequence("org/springframework/boot/loader/launch/JarLauncher.class", "io/",
					"io/softmaxservice/", "io/softmaxservice/launch/", LAUNCHER, BootJar.CLASSES + "io/");
			assertThat(names.stream().filter((name) -> !name.startsWith("BOOT-INF/") && name.endsWith(".class")))
				.containsExactlyInAnyOrder("org/springframework/boot/loader/launch/JarLauncher.class", LAUNCHER,
						"io/softmaxservice/launch/ClassPathLauncher$Launch.class",
						"io/softmaxservice/launch/UnpackedJar.class", "io/softmaxservice/launch/BootJar.class",
						"io/softmaxservice/launch/LauncherInstaller.class",
						"io/softmaxservice/launch/LaunchedApplication.class",
						"io/softmaxservice/launch/FailingApplication.class");
			assertThat(bytes(zip, LAUNCHER)).isEqualTo(BootJarFixture.classBytes(ClassPathLauncher.class));
		}
	}

	@Test
	void installKeepsEveryOtherEntryAndTheNestedJarsStored() throws IOException {
		Path original = BootJarFixture.typical().writeTo(this.temp.resolve("original.jar"));
		Path jar = Files.copy(original, this.temp.resolve("app.jar"));
		LauncherInstaller.install(jar);
		try (ZipFile before = new ZipFile(original.toFile()); ZipFile after = new ZipFile(jar.toFile())) {
			for (ZipEntry entry : Collections.list(before.entries())) {
				if (!entry.getName().equals("META-INF/MANIFEST.MF")) {
					ZipEntry copy = after.getEntry(entry.getName());
					assertThat(copy.getMethod()).as(entry.getName()).isEqualTo(entry.getMethod());
					assertThat(copy.getTime()).as(entry.getName()).isEqualTo(BootJarFixture.TIME);
					assertThat(bytes(after, entry.getName())).as(entry.getName())
						.isEqualTo(bytes(before, entry.getName()));
				}
			}
			ZipEntry lib = after.getEntry(BootJar.LIB + BootJarFixture.LIB_A);
			assertThat(lib.getMethod()).isEqualTo(ZipEntry.STORED);
			assertThat(lib.getCrc()).isEqualTo(before.getEntry(BootJar.LIB + BootJarFixture.LIB_A).getCrc());
		}
	}

	@Test
	void installWhenTheLauncherIsInstalledLeavesTheJarAlone() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		LauncherInstaller.install(jar);
		byte[] installed = Files.readAllBytes(jar);
		assertThat(LauncherInstaller.install(jar)).isFalse();
		assertThat(jar).hasBinaryContent(installed);
	}

	@Test
	void installWhenTheJarIsNotSpringBootsFails() throws IOException {
		Path jar = BootJarFixture.typical().mainClass("com.example.Main").writeTo(this.temp.resolve("app.jar"));
		assertThatIOException().isThrownBy(() -> LauncherInstaller.install(jar))
			.withMessage(jar + " is not a Spring Boot jar: its Main-Class is com.example.Main");
	}

	@Test
	void mainInstallsAndUnpacks() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		LauncherInstaller.main(new String[] { jar.toString() });
		try (BootJar boot = BootJar.open(jar)) {
			assertThat(this.temp.resolve("app.jar.unpacked").resolve(boot.fingerprint()).resolve("complete")).exists();
		}
		try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
			assertThat(in.getManifest().getMainAttributes().getValue("Main-Class"))
				.isEqualTo(ClassPathLauncher.class.getName());
		}
	}

	@Test
	void mainWhenUnpackingIsOffOnlyInstalls() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		System.setProperty(LauncherInstaller.UNPACK_PROPERTY, "false");
		try {
			LauncherInstaller.main(new String[] { jar.toString() });
		}
		finally {
			System.clearProperty(LauncherInstaller.UNPACK_PROPERTY);
		}
		assertThat(this.temp.resolve("app.jar.unpacked")).doesNotExist();
		try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
			assertThat(in.getManifest().getMainAttributes().getValue("Main-Class"))
				.isEqualTo(ClassPathLauncher.class.getName());
		}
	}

	@Test
	void installWhenTheJarHasNoBootInfFailsAndLeavesItAlone() throws IOException {
		Path jar = new BootJarFixture().entry("readme.txt", "no classes").writeTo(this.temp.resolve("app.jar"));
		byte[] original = Files.readAllBytes(jar);
		assertThatIOException().isThrownBy(() -> LauncherInstaller.install(jar))
			.withMessage(jar + " has no BOOT-INF/ entries");
		assertThat(jar).hasBinaryContent(original);
		try (Stream<Path> files = Files.list(this.temp)) {
			assertThat(files.map(Path::getFileName).map(Path::toString)).containsExactly("app.jar");
		}
	}

	private static byte[] bytes(ZipFile zip, String name) throws IOException {
		try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
			return in.readAllBytes();
		}
	}

}
