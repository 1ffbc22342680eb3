package io.softmaxservice.launch;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fat jar's classes and nested jars unpacked once beside it, in
 * {@code <jar>.unpacked/<fingerprint>/}, and the class path they make.
 * <p>
 * Processes share the folder through file locks. Every change to it (unpacking, deleting)
 * happens under an exclusive lock on {@code <jar>.unpacked/.lock}, so concurrent first
 * starts unpack once. A process holds a shared lock on its unpacked jar's {@code in-use}
 * file for as long as it runs, since the JDK opens class-path jars lazily: another
 * build's unpacked jar is deleted only when no process holds that lock. A
 * {@code complete} file, written last, tells a whole unpacking from one a crash cut
 * short. A whole unpacking in a folder this process may not write to is used without
 * locks.
 */
record UnpackedJar(String startClass, List<Path> classPath) {

	static final String SUFFIX = ".unpacked";

	private static final String LOCK = ".lock";

	private static final String IN_USE = "in-use";

	private static final String COMPLETE = "complete";

	/** The channels of this process's shared locks by folder, open until it exits. */
	private static final Map<Path, FileChannel> held = new HashMap<>();

	/**
	 * Unpacks the jar unless an earlier start did, marks it in use by this process, and
	 * deletes the unpacked jars of other builds that no process uses.
	 */
	static synchronized UnpackedJar open(Path jar) throws IOException {
		try (BootJar boot = BootJar.open(jar)) {
			Path root = jar.resolveSibling(jar.getFileName() + SUFFIX);
			Path folder = root.resolve(boot.fingerprint());
			try {
				prepare(boot, root, folder);
			}
			catch (IOException ex) {
				// A folder this process may not write to (a read-only file system, or
				// one another user unpacked into) is used as it is if it was unpacked
				// whole: without locks, since this process changes nothing in it.
				if (!Files.exists(folder.resolve(COMPLETE))) {
					throw ex;
				}
			}
			List<Path> classPath = new ArrayList<>();
			classPath.add(folder.resolve(BootJar.APPLICATION_JAR));
			for (String library : boot.libraries()) {
				classPath.add(folder.resolve(BootJar.LIB_FOLDER).resolve(library));
			}
			return new UnpackedJar(boot.startClass(), List.copyOf(classPath));
		}
	}

	/**
	 * Under the exclusive lock: unpacks the jar into its folder unless it is there whole,
	 * marks the folder in use by this process, and deletes other unused folders.
	 */
	private static void prepare(BootJar boot, Path root, Path folder) throws IOException {
		Files.createDirectories(root);
		try (FileChannel channel = FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE,
				StandardOpenOption.READ, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
			if (!Files.exists(folder.resolve(COMPLETE))) {
				deleteTree(folder);
				Files.createDirectories(folder);
				boot.unpackTo(folder);
				Files.createFile(folder.resolve(COMPLETE));
			}
			if (!held.containsKey(folder)) {
				FileChannel inUse = FileChannel.open(folder.resolve(IN_USE), StandardOpenOption.CREATE,
						StandardOpenOption.READ, StandardOpenOption.WRITE);
				inUse.lock(0, Long.MAX_VALUE, true);
				held.put(folder, inUse);
			}
			deleteUnused(root, folder);
		}
	}

	/**
	 * A class loader over the class path, whose parent is the platform's (not the fat
	 * jar's).
	 */
	URLClassLoader classLoader() throws IOException {
		URL[] urls = new URL[this.classPath.size()];
		for (int i = 0; i < urls.length; i++) {
			urls[i] = this.classPath.get(i).toUri().toURL();
		}
		return new URLClassLoader("app", urls, ClassLoader.getPlatformClassLoader());
	}

	/**
	 * Deletes every other folder whose {@code in-use} file no process locks; one that
	 * cannot be deleted (a file held open on Windows) is left for a later start.
	 */
	private static void deleteUnused(Path root, Path keep) throws IOException {
		List<Path> folders;
		try (Stream<Path> children = Files.list(root)) {
			folders = children.filter((child) -> !child.equals(keep) && Files.isDirectory(child)).toList();
		}
		for (Path folder : folders) {
			try (FileChannel channel = FileChannel.open(folder.resolve(IN_USE), StandardOpenOption.CREATE,
					StandardOpenOption.READ, StandardOpenOption.WRITE)) {
				FileLock lock = channel.tryLock();
				if (lock != null) {
					Files.deleteIfExists(folder.resolve(COMPLETE));
					deleteTree(folder);
				}
			}
			catch (OverlappingFileLockException ex) {
				// This process uses it.
			}
			catch (IOException ex) {
				// Left for a later start.
			}
		}
	}

	private static void deleteTree(Path folder) throws IOException {
		if (!Files.exists(folder)) {
			return;
		}
		List<Path> paths;
		try (Stream<Path> tree = Files.walk(folder)) {
			paths = tree.sorted(Comparator.reverseOrder()).toList();
		}
		for (Path path : paths) {
			try {
				Files.delete(path);
			}
			catch (NoSuchFileException ex) {
				// Already gone.
			}
		}
	}

}
