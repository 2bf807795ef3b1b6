package app.cruddur.messages.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.postgres.PostgresConfig;
import app.cruddur.messages.postgres.Postgres;
import app.cruddur.messages.projection.consumer.Checkpoint;
import app.cruddur.messages.projection.consumer.CheckpointRepository;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.RecordingContext;
import app.cruddur.messages.user.User;
import app.cruddur.messages.user.UserRepository;
import app.cruddur.messages.user.signup.PostConfirmationEvents;
import app.cruddur.messages.user.signup.SignUpLambdaHandler;
import app.cruddur.messages.user.signup.SignUpRefusedException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
 * What the group roles (db/migration) let their logins do: a login holding only cruddur_app runs
 * the service's own repositories, every statement they send, one holding only cruddur_signup the
 * sign-up trigger's, and each is refused everything else.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ApplicationRoleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * What each group role may do on each table, view and sequence of the schema. A migration that
     * creates one adds it here with its grants, or with none: the test fails on one it does not know.
     */
    private static final Map<String, Map<String, String>> PRIVILEGES = Map.of(
            "cruddur_app", Map.of(
                    "users", "SELECT",
                    "stream_checkpoints", "INSERT,SELECT,UPDATE",
                    "flyway_schema_history", ""),
            "cruddur_signup", Map.of(
                    "users", "INSERT,SELECT",
                    "stream_checkpoints", "",
                    "flyway_schema_history", ""));
    /** Refused to a member of either group role, whatever its grants. */
    private static final List<String> NEITHER = List.of(
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
            "UPDATE users SET display_name = 'P'",
            "DELETE FROM users",
            "DELETE FROM stream_checkpoints",
            "SELECT * FROM flyway_schema_history",
            "DELETE FROM flyway_schema_history",
            "GRANT SELECT ON flyway_schema_history TO PUBLIC",
            "CREATE ROLE grants_probe LOGIN",
            "ALTER ROLE cruddur_app LOGIN",
            "ALTER ROLE cruddur_signup LOGIN",
            "DROP ROLE cruddur_app",
            "DROP ROLE cruddur_signup",
            "GRANT cruddur_app TO cruddur_signup",
            "GRANT cruddur_signup TO cruddur_app",
            "CREATE DATABASE grants_probe");

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
    PostgresConfig config;

    private String serviceLogin;
    private String servicePassword;
    private String signupLogin;
    private String signupPassword;
    private Pool pool;
    private UserRepository users;
    private CheckpointRepository checkpoints;

    @BeforeEach
    void signInAsAMemberOfEachGroupRole() throws SQLException {
        serviceLogin = "grants_" + Long.toString(System.nanoTime(), 36);
        servicePassword = "grants-" + UUID.randomUUID();
        signupLogin = "grants_signup_" + Long.toString(System.nanoTime(), 36);
        signupPassword = "grants-" + UUID.randomUUID();
        try (Connection owner = DriverManager.getConnection(jdbcUrl, superuser, superuserPassword);
             Statement statement = owner.createStatement()) {
            statement.execute("CREATE ROLE " + serviceLogin + " LOGIN PASSWORD '" + servicePassword + "'");
            statement.execute("GRANT cruddur_app TO " + serviceLogin);
            statement.execute("CREATE ROLE " + signupLogin + " LOGIN PASSWORD '" + signupPassword + "'");
            statement.execute("GRANT cruddur_signup TO " + signupLogin);
        }
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl).setUser(serviceLogin).setPassword(servicePassword);
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
    void theSignUpTriggersStatementsRunWithItsGroupRolesPrivileges() throws SQLException {
        // The trigger's own code (user/signup/UserRows) as a member of cruddur_signup alone.
        SignUpLambdaHandler trigger = new SignUpLambdaHandler(reactiveUrl, "disable", Path.of("none.pem"), signupLogin,
                signupPassword);
        String handle = "grants" + Long.toString(System.nanoTime(), 36);
        String sub = UUID.randomUUID().toString();
        var signUp = PostConfirmationEvents.signUp(PostConfirmationEvents.attributes(sub, handle, "G", "g@cruddur.test"));
        RecordingContext created = new RecordingContext();
        trigger.handleRequest(signUp, created);
        RecordingContext again = new RecordingContext();
        trigger.handleRequest(signUp, again);
        String other = UUID.randomUUID().toString();
        RecordingContext taken = new RecordingContext();
        assertThrows(SignUpRefusedException.class, () -> trigger.handleRequest(PostConfirmationEvents.signUp(
                PostConfirmationEvents.attributes(other, handle, "H", "h@cruddur.test")), taken));
        assertEquals(List.of("sign-up sub=" + sub + " outcome=created handle=" + handle), created.events());
        assertEquals(List.of("sign-up sub=" + sub + " outcome=already-registered"), again.events());
        assertEquals(List.of("sign-up sub=" + other + " outcome=handle-taken handle=" + handle), taken.events());
        assertEquals(Optional.of(handle), users.findByCognitoUserId(sub).await().atMost(WAIT).map(User::handle),
                "the service reads the row the trigger wrote");
    }

    @Test
    void everythingElseIsRefused() throws SQLException {
        List<String> service = new ArrayList<>(NEITHER);
        service.addAll(List.of(
                "INSERT INTO users (display_name, handle, email) VALUES ('P', 'grantsprobe', 'p@cruddur.test')",
                "ALTER ROLE " + superuser + " PASSWORD 'probe'",
                "GRANT cruddur_signup TO " + serviceLogin,
                "GRANT cruddur_app TO " + superuser,
                "GRANT " + superuser + " TO " + serviceLogin,
                "SET ROLE cruddur_signup",
                "SET ROLE " + superuser));
        assertRefused(serviceLogin, servicePassword, service);

        List<String> signup = new ArrayList<>(NEITHER);
        signup.addAll(List.of(
                "SELECT * FROM stream_checkpoints",
                "INSERT INTO stream_checkpoints (stream_arn, shard_id) VALUES ('probe', 'probe')",
                "UPDATE stream_checkpoints SET finished = true",
                "ALTER ROLE " + superuser + " PASSWORD 'probe'",
                "GRANT cruddur_app TO " + signupLogin,
                "GRANT cruddur_signup TO " + superuser,
                "GRANT " + superuser + " TO " + signupLogin,
                "SET ROLE cruddur_app",
                "SET ROLE " + superuser));
        assertRefused(signupLogin, signupPassword, signup);
    }

    private void assertRefused(String user, String userPassword, List<String> statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, userPassword);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                SQLException refused = assertThrows(SQLException.class, () -> statement.execute(sql), user + ": " + sql);
                assertEquals("42501", refused.getSQLState(), user + ": " + sql + ": " + refused.getMessage());
            }
        }
    }

    @Test
    void eachRelationHasItsStatedPrivilegesAndNoDefaultsGrantMore() throws SQLException {
        try (Connection owner = DriverManager.getConnection(jdbcUrl, superuser, superuserPassword);
             Statement statement = owner.createStatement()) {
            for (Map.Entry<String, Map<String, String>> role : PRIVILEGES.entrySet()) {
                String group = role.getKey();
                Map<String, String> granted = new TreeMap<>();
                try (ResultSet rows = statement.executeQuery("""
                        SELECT c.relname, coalesce(string_agg(a.privilege_type, ',' ORDER BY a.privilege_type), '')
                        FROM pg_class c
                        LEFT JOIN LATERAL aclexplode(c.relacl) a ON a.grantee = '%s'::regrole
                        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                        GROUP BY c.relname""".formatted(group))) {
                    while (rows.next()) {
                        granted.put(rows.getString(1), rows.getString(2));
                    }
                }
                assertEquals(new TreeMap<>(role.getValue()), granted,
                        group + "'s privileges per relation; a new one needs its grants in its migration and here");
                try (ResultSet row = statement.executeQuery("""
                        SELECT count(*) FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE a.grantee = '%s'::regrole"""
                        .formatted(group))) {
                    row.next();
                    assertEquals(0, row.getInt(1), group + ": no default privileges: each migration grants what it creates");
                }
                try (ResultSet row = statement.executeQuery("""
                        SELECT has_schema_privilege('%1$s', 'public', 'USAGE'),
                               has_schema_privilege('%1$s', 'public', 'CREATE'),
                               has_database_privilege('%1$s', current_database(), 'CREATE'),
                               rolcanlogin FROM pg_roles WHERE rolname = '%1$s'""".formatted(group))) {
                    row.next();
                    assertTrue(row.getBoolean(1), group + ": USAGE on the schema");
                    assertFalse(row.getBoolean(2), group + ": no CREATE on the schema");
                    assertFalse(row.getBoolean(3), group + ": no CREATE on the database");
                    assertFalse(row.getBoolean(4), group + ": the group role never signs in");
                }
            }
        }
    }
}
