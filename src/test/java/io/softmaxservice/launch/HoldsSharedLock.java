package io.softmaxservice.launch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run as a process of its own by the tests: holds a shared lock on the file it is given,
 * as a running service holds its unpacked jar's {@code in-use} file, until its input
 * closes.
 */
public final class HoldsSharedLock {

	private HoldsSharedLock() {
	}

	public static void main(String[] args) throws IOException {
		try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
				StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			channel.lock(0, Long.MAX_VALUE, true);
			System.out.println("locked");
			System.out.flush();
			System.in.transferTo(System.out);
		}
	}

}
