package app.cruddur.messages.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.config.MessagesConfig;
import app.cruddur.messages.postgres.Postgres;
import app.cruddur.messages.projection.consumer.Checkpoint;
import app.cruddur.messages.projection.consumer.CheckpointRepository;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.user.User;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the group role cruddur_app (db/migration) lets the service do: a login holding only it runs
 * the service's own repositories, every statement they send, and is refused everything else.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ApplicationRoleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * What cruddur_app may do on each table, view and sequence of the schema. A migration that
     * creates one adds it here with its grant, or with none: the test fails on one it does not know.
     */
    private static final Map<String, String> PRIVILEGES = Map.of(
            "users", "SELECT",
            "stream_checkpoints", "INSERT,SELECT,UPDATE",
            "flyway_schema_history", "");

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String reactiveUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String superuser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String superuserPassword;
    @Inject
    Vertx vertx;
    @Inject
    MessagesConfig config;

    private String login;
    private String password;
    private Pool pool;
    private UserRepository users;
    private CheckpointRepository checkpoints;

    @BeforeEach
    void signInAsAMemberOfTheGroupRole() throws SQLException {
        login = "grants_" + Long.toString(System.nanoTime(), 36);
        password = "grants-" + UUID.randomUUID();
        try (Connection owner = DriverManager.getConnection(jdbcUrl, superuser, superuserPassword);
             Statement statement = owner.createStatement()) {
            statement.execute("CREATE ROLE " + login + " LOGIN PASSWORD '" + password + "'");
            statement.execute("GRANT cruddur_app TO " + login);
        }
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl).setUser(login).setPassword(password);
        pool = Pool.newInstance(PgBuilder.pool().connectingTo(options).using(vertx.getDelegate()).build());
        Postgres postgres = new Postgres(pool, config);
        users = new UserRepository(postgres);
        checkpoints = new CheckpointRepository(postgres);
    }

    @AfterEach
    void close() {
        pool.close().await().atMost(WAIT);
    }

    @Test
    void theServicesQueriesRunWithTheGroupRolesPrivileges() throws SQLException {
        String handle = "grants" + Long.toString(System.nanoTime(), 36);
        String sub = UUID.randomUUID().toString();
        try (Connection owner = DriverManager.getConnection(jdbcUrl, superuser, superuserPassword);
             Statement statement = owner.createStatement()) {
            statement.execute("INSERT INTO users (display_name, handle, email, cognito_user_id) VALUES ('G', '" + handle
                    + "', 'g@cruddur.test', '" + sub + "')");
        }
        Optional<User> bySub = users.findByCognitoUserId(sub).await().atMost(WAIT);
        assertEquals(Optional.of(handle), bySub.map(User::handle));
        assertEquals(bySub, users.findByHandle(handle).await().atMost(WAIT));

        String arn = "arn:aws:dynamodb:local:000000000000:table/t/stream/" + UUID.randomUUID();
        checkpoints.save(arn, new Checkpoint("shard-1", Optional.of("000100"), false)).await().atMost(WAIT);
        checkpoints.save(arn, new Checkpoint("shard-1", Optional.empty(), true)).await().atMost(WAIT);
        assertEquals(new Checkpoint("shard-1", Optional.of("000100"), true), checkpoints.load(arn).await().atMost(WAIT).get("shard-1"));
        checkpoints.reset(arn, "shard-1").await().atMost(WAIT);
        assertEquals(new Checkpoint("shard-1", Optional.empty(), false), checkpoints.load(arn).await().atMost(WAIT).get("shard-1"));

        // Only seeding and the tests write users, as the tables' owner.
        PgException refused = assertThrows(PgException.class, () -> users.upsert(UUID.randomUUID(), handle + "x", "X",
                "x@cruddur.test", null).await().atMost(WAIT));
        assertEquals("42501", refused.getSqlState());
    }

    @Test
    void everythingElseIsRefused() throws SQLException {
        List<String> statements = List.of(
                "CREATE TABLE grants_probe (id int)",
                "CREATE VIEW grants_probe AS SELECT 1",
                "CREATE FUNCTION grants_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                "CREATE SCHEMA grants_probe",
                "DROP TABLE users",
                "DROP TABLE stream_checkpoints",
                "ALTER TABLE users ADD COLUMN probe text",
                "ALTER TABLE stream_checkpoints DROP COLUMN finished",
                "CREATE INDEX grants_probe ON users (email)",
                "TRUNCATE users",
                "TRUNCATE stream_checkpoints",
                "INSERT INTO users (display_name, handle, email) VALUES ('P', 'grantsprobe', 'p@cruddur.test')",
                "UPDATE users SET display_name = 'P'",
                "DELETE FROM users",
                "DELETE FROM stream_checkpoints",
                "SELECT * FROM flyway_schema_history",
                "DELETE FROM flyway_schema_history",
                "GRANT SELECT ON flyway_schema_history TO PUBLIC",
                "CREATE ROLE grants_probe LOGIN",
                "ALTER ROLE " + superuser + " PASSWORD 'probe'",
                "ALTER ROLE cruddur_app LOGIN",
                "DROP ROLE cruddur_app",
                "GRANT cruddur_app TO " + superuser,
                "GRANT " + superuser + " TO " + login,
                "SET ROLE " + superuser,
                "CREATE DATABASE grants_probe");
        try (Connection connection = DriverManager.getConnection(jdbcUrl, login, password);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                SQLException refused = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
                assertEquals("42501", refused.getSQLState(), sql + ": " + refused.getMessage());
            }
        }
    }

    @Test
    void eachRelationHasItsStatedPrivilegesAndNoDefaultsGrantMore() throws SQLException {
        Map<String, String> granted = new TreeMap<>();
        try (Connection owner = DriverManager.getConnection(jdbcUrl, superuser, superuserPassword);
             Statement statement = owner.createStatement()) {
            try (ResultSet rows = statement.executeQuery("""
                    SELECT c.relname, coalesce(string_agg(a.privilege_type, ',' ORDER BY a.privilege_type), '')
                    FROM pg_class c
                    LEFT JOIN LATERAL aclexplode(c.relacl) a ON a.grantee = 'cruddur_app'::regrole
                    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                    GROUP BY c.relname""")) {
                while (rows.next()) {
                    granted.put(rows.getString(1), rows.getString(2));
                }
            }
            assertEquals(new TreeMap<>(PRIVILEGES), granted,
                    "cruddur_app's privileges per relation; a new one needs its grant in its migration and here");
            try (ResultSet row = statement.executeQuery("""
                    SELECT count(*) FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE a.grantee = 'cruddur_app'::regrole""")) {
                row.next();
                assertEquals(0, row.getInt(1), "no default privileges: each migration grants what it creates");
            }
            try (ResultSet row = statement.executeQuery("""
                    SELECT has_schema_privilege('cruddur_app', 'public', 'USAGE'),
                           has_schema_privilege('cruddur_app', 'public', 'CREATE'),
                           has_database_privilege('cruddur_app', current_database(), 'CREATE'),
                           rolcanlogin FROM pg_roles WHERE rolname = 'cruddur_app'""")) {
                row.next();
                assertTrue(row.getBoolean(1), "USAGE on the schema");
                assertFalse(row.getBoolean(2), "no CREATE on the schema");
                assertFalse(row.getBoolean(3), "no CREATE on the database");
                assertFalse(row.getBoolean(4), "the group role never signs in");
            }
        }
    }
}
