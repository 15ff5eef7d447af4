package dev.hutong.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Schema migrations, owned module by module: each domain keeps its SQL under
 * {@code db/migration/<module>} on the classpath and its own Flyway history table, so modules
 * evolve their schemas independently and in dependency order.
 */
public final class Migrations {
  private Migrations() {}

  /** Applies the pending migrations of one module; returns how many ran. */
  public static int migrate(DataSource dataSource, String module) {
    if (!module.matches("[a-z]{2,20}")) {
      throw new IllegalArgumentException("module names are lowercase letters: " + module);
    }
    MigrateResult result = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration/" + module)
        .table("schema_history_" + module)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    return result.migrationsExecuted;
  }
}
