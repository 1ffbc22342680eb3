package io.softmaxservice.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UnpackedJarTests {

	@TempDir
	Path temp;

	@Test
	void openUnpacksBesideTheJarInAFolderNamedByItsFingerprint() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		UnpackedJar unpacked = UnpackedJar.open(jar);
		Path folder = this.temp.resolve("app.jar.unpacked").resolve(fingerprint(jar));
		assertThat(unpacked.startClass()).isEqualTo(LaunchedApplication.class.getName());
		assertThat(unpacked.classPath()).containsExactly(folder.resolve("application.jar"),
				folder.resolve("lib").resolve(BootJarFixture.LIB_B),
				folder.resolve("lib").resolve(BootJarFixture.LIB_A));
		assertThat(unpacked.classPath()).allMatch(Files::isRegularFile);
		assertThat(folder.resolve("complete")).exists();
	}

	@Test
	void openReusesWhatAnEarlierStartUnpacked() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		Path application = UnpackedJar.open(jar).classPath().get(0);
		Files.writeString(application, "left by the first start");
		assertThat(UnpackedJar.open(jar).classPath().get(0)).isEqualTo(application)
			.hasContent("left by the first start");
	}

	@Test
	void openWhenAnUnpackingWasCutShortUnpacksAgain() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		UnpackedJar first = UnpackedJar.open(jar);
		Path folder = first.classPath().get(0).getParent();
		Files.delete(folder.resolve("complete"));
		Files.delete(first.classPath().get(1));
		Files.writeString(folder.resolve("stray"), "from the cut-short unpacking");
		UnpackedJar second = UnpackedJar.open(jar);
		assertThat(second.classPath()).isEqualTo(first.classPath()).allMatch(Files::isRegularFile);
		assertThat(folder.resolve("stray")).doesNotExist();
		assertThat(folder.resolve("complete")).exists();
	}

	@Test
	void openWhenTheLockCannotBeWrittenUsesAWholeUnpackingAsItIs() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		UnpackedJar first = UnpackedJar.open(jar);
		lockNotWritable(jar);
		UnpackedJar second = UnpackedJar.open(jar);
		assertThat(second).isEqualTo(first);
		assertThat(second.classPath()).allMatch(Files::isRegularFile);
	}

	@Test
	void openWhenTheLockCannotBeWrittenAndTheUnpackingIsNotWholeFails() throws IOException {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		Path folder = UnpackedJar.open(jar).classPath().get(0).getParent();
		Files.delete(folder.resolve("complete"));
		lockNotWritable(jar);
		assertThatExceptionOfType(FileSystemException.class).isThrownBy(() -> UnpackedJar.open(jar))
			.withMessageContaining(".lock");
	}

	/**
	 * Makes the lock file a folder, which no process opens for writing, root included.
	 */
	private static void lockNotWritable(Path jar) throws IOException {
		Path lock = jar.resolveSibling("app.jar.unpacked").resolve(".lock");
		Files.delete(lock);
		Files.createDirectory(lock);
	}

	@Test
	void openDeletesOtherBuildsThatNoProcessUses() throws IOException {
		Path old = otherBuild();
		Path root = old.getParent();
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		UnpackedJar.open(jar);
		try (Stream<Path> children = Files.list(root)) {
			assertThat(children.map((child) -> child.getFileName().toString())).containsExactlyInAnyOrder(".lock",
					fingerprint(jar));
		}
	}

	@Test
	void openKeepsOtherBuildsThatAProcessUses() throws IOException {
		Path jar = this.temp.resolve("app.jar");
		BootJarFixture.typical().writeTo(jar);
		Path inUse = UnpackedJar.open(jar).classPath().get(0).getParent();
		BootJarFixture.typical().entry(BootJar.CLASSES + "application.yaml", "answer: 43\n").writeTo(jar);
		Path rebuilt = UnpackedJar.open(jar).classPath().get(0).getParent();
		assertThat(rebuilt).isNotEqualTo(inUse);
		assertThat(inUse.resolve("complete")).exists();
		assertThat(inUse.resolve("application.jar")).exists();
	}

	@Test
	void openKeepsOtherBuildsThatAnotherProcessUses() throws Exception {
		Path used = otherBuild();
		Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), HoldsSharedLock.class.getName(),
				used.resolve("in-use").toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		try (BufferedReader out = holder.inputReader()) {
			assertThat(out.readLine()).isEqualTo("locked");
			UnpackedJar.open(BootJarFixture.typical().writeTo(this.temp.resolve("app.jar")));
			assertThat(used.resolve("complete")).exists();
			holder.getOutputStream().close();
			assertThat(holder.waitFor()).isZero();
		}
		finally {
			holder.destroy();
		}
		UnpackedJar.open(BootJarFixture.typical().writeTo(this.temp.resolve("app.jar")));
		assertThat(used).doesNotExist();
	}

	@Test
	void classLoaderLoadsFromTheUnpackedJarOverThePlatformLoader() throws Exception {
		Path jar = BootJarFixture.typical().writeTo(this.temp.resolve("app.jar"));
		try (URLClassLoader loader = UnpackedJar.open(jar).classLoader()) {
			assertThat(loader.getName()).isEqualTo("app");
			assertThat(loader.getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
			assertThat(loader.loadClass(LaunchedApplication.class.getName()).getClassLoader()).isSameAs(loader);
			assertThat(loader.getResource(BootJarFixture.LIB_A_RESOURCE)).isNotNull();
			assertThat(loader.getResource("application.yaml")).isNotNull();
			assertThat(loader.getResource("org/springframework/boot/loader/launch/JarLauncher.class")).isNull();
		}
	}

	/** The folder another build of the jar unpacked, as a whole unpacking leaves it. */
	private Path otherBuild() throws IOException {
		Path folder = Files.createDirectories(this.temp.resolve("app.jar.unpacked/0123456789abcdef01234567"));
		Files.writeString(Files.createDirectories(folder.resolve("lib")).resolve("old.jar"), "old");
		Files.createFile(folder.resolve("complete"));
		return folder;
	}

	private static String fingerprint(Path jar) throws IOException {
		try (BootJar boot = BootJar.open(jar)) {
			return boot.fingerprint();
		}
	}

}
