package dev.hutong.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  @Test
  void durableServerHasFsyncSynchronousCommitAndFullPageWritesOn(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0,
        EmbeddedDatabase.Durability.DURABLE)) {
      try (Connection c = DriverManager.getConnection(db.jdbcUrl("postgres"));
          Statement s = c.createStatement()) {
        assertThat(show(s, "fsync")).isEqualTo("on");
        assertThat(show(s, "synchronous_commit")).isEqualTo("on");
        assertThat(show(s, "full_page_writes")).isEqualTo("on");
        assertThat(Integer.parseInt(show(s, "server_version_num"))).isGreaterThanOrEqualTo(150000);
        s.execute("CREATE TABLE kept (v int)");
        s.execute("INSERT INTO kept VALUES (42)");
      }
    }
    // Data survives a restart on the same directory.
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0,
        EmbeddedDatabase.Durability.DURABLE);
        Connection c = DriverManager.getConnection(db.jdbcUrl("postgres"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
    assertThat(Files.exists(dir.resolve("pg").resolve("PG_VERSION"))).isTrue();
  }

  @Test
  void urlDatabaseIsReplacedKeepingParameters() {
    assertThat(TestDatabases.withDatabase("jdbc:postgresql://h:5/a?user=u&password=p", "b"))
        .isEqualTo("jdbc:postgresql://h:5/b?user=u&password=p");
    assertThat(TestDatabases.withDatabase("jdbc:postgresql://h/a", "b"))
        .isEqualTo("jdbc:postgresql://h/b");
  }

  private static String show(Statement s, String setting) throws Exception {
    try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
