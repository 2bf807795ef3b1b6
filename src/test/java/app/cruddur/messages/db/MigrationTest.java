package app.cruddur.messages.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The migrations under db/ against a real, empty PostgreSQL database. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class MigrationTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String serviceUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void migrationsApplyToAnEmptyDatabaseAndAreANoOpTheSecondTime() throws SQLException {
        String url = freshDatabase("cruddur_migration_" + System.nanoTime());
        Flyway flyway = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load();

        MigrateResult first = flyway.migrate();
        assertTrue(first.migrationsExecuted >= 1, "the first run applies every migration");
        var all = flyway.info().all();
        assertEquals(all.length, first.migrationsExecuted, "every migration under db/migration applied");
        assertEquals(all[all.length - 1].getVersion(), flyway.info().current().getVersion());

        MigrateResult second = flyway.migrate();
        assertEquals(0, second.migrationsExecuted, "a restart applies nothing");

        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO users (display_name, handle, email, cognito_user_id) VALUES ('A', 'a', 'a@x', NULL)");
            statement.execute("INSERT INTO users (display_name, handle, email, cognito_user_id) VALUES ('B', 'b', 'b@x', NULL)");
            statement.execute("INSERT INTO users (display_name, handle, email, cognito_user_id) VALUES ('C', 'c', 'c@x', 'sub-1')");
            assertThrows(SQLException.class, () -> statement.execute(
                    "INSERT INTO users (display_name, handle, email) VALUES ('A2', 'a', 'a2@x')"), "handle is unique");
            assertThrows(SQLException.class, () -> statement.execute(
                    "INSERT INTO users (display_name, handle, email, cognito_user_id) VALUES ('D', 'd', 'd@x', 'sub-1')"),
                    "cognito_user_id is unique when set");
        }
    }

    @Test
    void theServiceDatabaseWasMigratedAtStart() throws SQLException {
        Flyway flyway = Flyway.configure().dataSource(serviceUrl, user, password).locations("classpath:db/migration").load();
        assertEquals(0, flyway.info().pending().length);
        assertTrue(flyway.info().applied().length >= 1);
    }

    private String freshDatabase(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(serviceUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return serviceUrl.substring(0, serviceUrl.lastIndexOf('/') + 1) + name;
    }
}
