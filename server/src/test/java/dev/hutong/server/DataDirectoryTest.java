package dev.hutong.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

  @Test
  void createsTheDirectoryAndRecordsTheOwnerInTheLock(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("a/b/data");
    try (DataDirectory data = DataDirectory.open(dir)) {
      assertThat(data.root()).isEqualTo(dir);
      assertThat(data.postgres()).isEqualTo(dir.resolve("postgres"));
      assertThat(Files.readString(dir.resolve("hutong.lock")).trim())
          .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }

  @Test
  void aSecondServerOnTheSameDirectoryIsToldItIsInUse(@TempDir Path dir) throws Exception {
    try (DataDirectory first = DataDirectory.open(dir)) {
      assertThatThrownBy(() -> DataDirectory.open(dir))
          .isInstanceOf(ServerStartException.class)
          .hasMessageContaining("is in use by another Hutong")
          .hasMessageContaining("choose another --data-dir");
    }
    // Released on close: the next server may take it.
    DataDirectory.open(dir).close();
  }

  @Test
  void aFileIsNotADataDirectory(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> DataDirectory.open(file))
        .isInstanceOf(ServerStartException.class)
        .hasMessage("the data directory " + file + " is a file, not a directory;"
            + " choose another with --data-dir");
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsReportedWithTheReason(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> DataDirectory.open(file.resolve("data")))
        .isInstanceOf(ServerStartException.class)
        .hasMessageStartingWith("cannot create the data directory " + file.resolve("data"))
        .hasMessageContaining("Not a directory")
        .hasMessageEndingWith("choose a writable one with --data-dir");
  }

  @Test
  void aReadOnlyDirectoryIsReportedAsNotWritable() {
    // /proc/self exists and refuses new files even to root, unlike a chmod'ed directory.
    Path readOnly = Path.of("/proc/self");
    assertThatThrownBy(() -> DataDirectory.open(readOnly))
        .isInstanceOf(ServerStartException.class)
        .hasMessageStartingWith("the data directory /proc/self is not writable: ")
        .hasMessageEndingWith("fix its permissions or choose another with --data-dir");
  }
}
