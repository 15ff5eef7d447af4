package dev.hutong.server;

import java.nio.file.Path;

final class DataDirectoryTestSupport {
  private DataDirectoryTestSupport() {}

  /** Fails unless another server could take the directory now. */
  static void assertUnlocked(Path directory) {
    try (DataDirectory ignored = DataDirectory.open(directory)) {
      // Opening succeeded: nobody holds the lock.
    } catch (java.io.IOException e) {
      throw new AssertionError("could not release the test lock on " + directory, e);
    }
  }
}
