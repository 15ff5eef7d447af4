package dev.hutong.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The directory where one Hutong keeps its files, held with an exclusive lock for as long as the
 * server runs: two servers on one directory would start two PostgreSQL servers on one cluster.
 *
 * <p>Layout: {@code hutong.lock} (the lock, holding the owner's process id) and
 * {@code postgres/} (the embedded PostgreSQL cluster, when no external database is configured).
 */
final class DataDirectory implements AutoCloseable {
  static final String LOCK_FILE = "hutong.lock";
  static final String POSTGRES_DIRECTORY = "postgres";

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it; the message of any failure says what to do. */
  static DataDirectory open(Path requested) {
    Path root = requested.toAbsolutePath().normalize();
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new ServerStartException("the data directory " + root + " is a file, not a directory;"
          + " choose another with --data-dir");
    }
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new ServerStartException("cannot create the data directory " + root + ": "
          + reason(e) + "; choose a writable one with --data-dir", e);
    }
    return lock(root);
  }

  private static DataDirectory lock(Path root) {
    Path lockFile = root.resolve(LOCK_FILE);
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new ServerStartException("the data directory " + root + " is not writable: "
          + reason(e) + "; fix its permissions or choose another with --data-dir", e);
    }
    try {
      FileLock lock = tryLock(channel);
      if (lock == null) {
        String owner = readOwner(channel);
        channel.close();
        throw new ServerStartException("the data directory " + root + " is in use by another"
            + " Hutong" + owner + " (it holds " + lockFile + "); stop that one first or choose"
            + " another --data-dir");
      }
      writeOwner(channel);
      return new DataDirectory(root, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ServerStartException("cannot lock " + lockFile + ": " + reason(e), e);
    }
  }

  /** Null when another process, or another server in this JVM, holds the lock. */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static void writeOwner(FileChannel channel) throws IOException {
    byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(pid), 0);
    channel.force(true);
  }

  private static String readOwner(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    channel.read(buffer, 0);
    String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    return pid.matches("[0-9]{1,10}") ? ", process " + pid : "";
  }

  private static String reason(IOException e) {
    return switch (e) {
      case AccessDeniedException denied -> "permission denied on " + denied.getFile();
      case FileAlreadyExistsException file -> file.getFile() + " exists and is not a directory";
      // What Linux says when a directory refuses new entries outright (procfs, some mounts).
      case NoSuchFileException refused -> "cannot create " + refused.getFile();
      case FileSystemException fs -> (fs.getReason() != null ? fs.getReason()
          : fs.getClass().getSimpleName()) + " on " + fs.getFile();
      default -> e.getClass().getSimpleName() + ": " + e.getMessage();
    };
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Already failing with a better message.
    }
  }

  Path root() {
    return root;
  }

  Path postgres() {
    return root.resolve(POSTGRES_DIRECTORY);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    lockChannel.close();
  }
}
