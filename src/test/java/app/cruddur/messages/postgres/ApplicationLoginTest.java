package app.cruddur.messages.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.postgres.ApplicationLogin.Change;
import app.cruddur.messages.postgres.ApplicationLogin.Login;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.MasterDatabase;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's login as the init run ensures it, on a migrated database whose master user is no
 * superuser (as on RDS). "Nothing changed" is read from the server's own role catalogue, passwords'
 * hashes included, for every role of the server.
 */
class ApplicationLoginTest {

    private static MasterDatabase db;

    @BeforeAll
    static void migratedDatabase() throws SQLException {
        new LocalStackTestResource().start();
        db = MasterDatabase.create(LocalStackProcess.current(), "login");
        Flyway.configure().dataSource(db.jdbcUrl(), db.master(), db.masterPassword())
                .locations("classpath:db/migration").load().migrate();
    }

    @Test
    void createsTheLoginThenLeavesItAsItIs() throws SQLException {
        Login login = new Login(name("svc"), "first-password");

        assertEquals(EnumSet.of(Change.CREATED, Change.GROUP_ROLE_GRANTED), ensure(login));
        assertSignsInWithTheGroupRole(login);
        assertEquals(List.of("cruddur_app"), memberships(login.user()), "a member of the group role only");

        String before = roles();
        assertEquals(Set.of(), ensure(login), "the same secret again");
        assertEquals(before, roles(), "nothing changed, not even the password's hash");
    }

    @Test
    void aPasswordThatNoLongerSignsInIsSetAgain() throws SQLException {
        Login login = new Login(name("svc"), "the-secret");
        ensure(login);
        try (Connection master = db.masterConnection(); Statement statement = master.createStatement()) {
            statement.execute("ALTER ROLE " + login.user() + " PASSWORD 'changed-elsewhere'");
        }

        assertEquals(EnumSet.of(Change.PASSWORD_SET), ensure(login));
        assertSignsInWithTheGroupRole(login);
    }

    @Test
    void anExistingRoleGetsWhatItLacksAndKeepsTheRest() throws SQLException {
        String name = name("svc");
        try (Connection master = db.masterConnection(); Statement statement = master.createStatement()) {
            statement.execute("CREATE ROLE " + name + " NOLOGIN CONNECTION LIMIT 30");
        }
        Login login = new Login(name, "the-secret");

        assertEquals(EnumSet.of(Change.LOGIN_ALLOWED, Change.PASSWORD_SET, Change.GROUP_ROLE_GRANTED), ensure(login));
        assertSignsInWithTheGroupRole(login);
        try (Connection superuser = db.superuserConnection(); Statement statement = superuser.createStatement();
             ResultSet row = statement.executeQuery("SELECT rolconnlimit FROM pg_roles WHERE rolname = '" + name + "'")) {
            row.next();
            assertEquals(30, row.getInt(1), "what the login had is left alone");
        }
    }

    @Test
    void afterARotationTheCurrentLoginIsLeftAsItIs() throws SQLException {
        Login first = new Login(name("svc"), "before-rotation");
        ensure(first);
        // What SecretsManagerRDSPostgreSQLRotationMultiUser does, as the master user.
        Login clone = new Login(first.user() + "_clone", "after-rotation");
        try (Connection master = db.masterConnection(); Statement statement = master.createStatement()) {
            statement.execute("CREATE ROLE " + clone.user() + " WITH LOGIN PASSWORD '" + clone.password() + "'");
            statement.execute("GRANT " + first.user() + " TO " + clone.user());
        }
        String rotated = roles();

        assertEquals(Set.of(), ensure(clone), "the secret now names the clone");
        assertEquals(rotated, roles(), "nothing changed: no password set, no grant made to the clone");
        assertSignsInWithTheGroupRole(clone);
        assertEquals(List.of("cruddur_app", first.user()), memberships(clone.user()));

        // The next rotation alternates back: a new password for the first login.
        Login back = new Login(first.user(), "second-rotation");
        try (Connection master = db.masterConnection(); Statement statement = master.createStatement()) {
            statement.execute("ALTER USER " + back.user() + " WITH PASSWORD '" + back.password() + "'");
        }
        String again = roles();
        assertEquals(Set.of(), ensure(back));
        assertEquals(again, roles());
    }

    @Test
    void aPasswordIsSetExactlyAsTheSecretHoldsIt() throws SQLException {
        for (String password : List.of("it's", "quote\" back\\slash", "'; DROP ROLE cruddur_app; --", "E'\\x41'",
                "tab\tand newline\n", "ünï €ode 𝄞", "%s %L {}")) {
            Login login = new Login(name("pw"), password);
            ensure(login);
            assertSignsInWithTheGroupRole(login);
            assertThrows(SQLException.class, () -> db.connectionAs(login.user(), password + "x").close());
        }
    }

    @Test
    void aRoleWithMoreThanTheGroupRoleIsRefusedAndLeftAlone() throws SQLException {
        String reader = name("reader");
        String creator = name("creator");
        try (Connection superuser = db.superuserConnection(); Statement statement = superuser.createStatement()) {
            statement.execute("CREATE ROLE " + reader + " LOGIN PASSWORD 'p'");
            statement.execute("GRANT pg_read_all_data TO " + reader);
            statement.execute("CREATE ROLE " + creator + " LOGIN CREATEDB PASSWORD 'p'");
        }
        String before = roles();
        for (String user : List.of(db.master(), db.superuser(), reader, creator)) {
            ApplicationLoginException refused = assertThrows(ApplicationLoginException.class,
                    () -> ensure(new Login(user, "p")), user);
            assertTrue(refused.getMessage().contains("nothing was changed"), refused.getMessage());
        }
        assertEquals(before, roles());
    }

    @Test
    void namesAndPasswordsTheServiceCouldNotUseAreRefused() {
        for (String user : List.of("Svc", "1svc", "svc-app", "svc;drop", "svc app", "pg_svc", "cruddur_app", "",
                "a".repeat(58), "a".repeat(58) + "_clone")) {
            assertThrows(ApplicationLoginException.class, () -> new Login(user, "p"), user);
        }
        new Login("a".repeat(57), "p");
        new Login("a".repeat(57) + "_clone", "p");
        for (String password : List.of("", "a$b", "a${b}", "a$$b", "nul\0")) {
            assertThrows(ApplicationLoginException.class, () -> new Login("svc", password), password);
        }
        assertThrows(ApplicationLoginException.class, () -> ApplicationLogin.of(Optional.of("svc"), Optional.empty(), Optional.empty()));
        assertThrows(ApplicationLoginException.class, () -> ApplicationLogin.of(Optional.empty(), Optional.of("p"), Optional.of("p")));
    }

    @Test
    void theConfigurationGivesTheSecretAsItIsOrNothing() {
        assertEquals(Optional.empty(), fromEnvironment(Map.of()), "dev, test, docker compose: no login to ensure");
        assertEquals(Optional.of(new Login("svc", "plain-secret")),
                fromEnvironment(Map.of("POSTGRES_APP_USER", "svc", "POSTGRES_APP_PASSWORD", "plain-secret")));
        // "$$" reaches the configuration as "$": the service would sign in with another password.
        for (String password : List.of("a$$b", "x\\${y}")) {
            ApplicationLoginException refused = assertThrows(ApplicationLoginException.class,
                    () -> fromEnvironment(Map.of("POSTGRES_APP_USER", "svc", "POSTGRES_APP_PASSWORD", password)));
            assertTrue(refused.getMessage().contains("exclude '$'"), refused.getMessage());
        }
    }

    private static Set<Change> ensure(Login login) throws SQLException {
        try (Connection master = db.masterConnection()) {
            return ApplicationLogin.ensure(master, login, db::connectionAs);
        }
    }

    private static void assertSignsInWithTheGroupRole(Login login) throws SQLException {
        try (Connection connection = db.connectionAs(login.user(), login.password());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_user, pg_has_role('cruddur_app', 'USAGE'),"
                     + " has_table_privilege('users', 'SELECT')")) {
            row.next();
            assertEquals(login.user(), row.getString(1));
            assertTrue(row.getBoolean(2), login.user() + " holds cruddur_app");
            assertTrue(row.getBoolean(3), login.user() + " may read users");
        }
    }

    /** The roles {@code user} is a member of, directly or not, by name. */
    private static List<String> memberships(String user) throws SQLException {
        try (Connection superuser = db.superuserConnection(); Statement statement = superuser.createStatement();
             ResultSet rows = statement.executeQuery("SELECT rolname FROM pg_roles WHERE rolname <> '" + user + "'"
                     + " AND pg_has_role('" + user + "', oid, 'MEMBER') ORDER BY rolname")) {
            List<String> names = new java.util.ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }

    /** Every role of the server with its attributes and password hash, and every membership. */
    private static String roles() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection superuser = db.superuserConnection(); Statement statement = superuser.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT a::text FROM pg_authid a ORDER BY rolname")) {
                while (rows.next()) {
                    all.append(rows.getString(1)).append('\n');
                }
            }
            try (ResultSet rows = statement.executeQuery("""
                    SELECT roleid::regrole || ' ' || member::regrole || ' ' || grantor::regrole || ' '
                           || admin_option || inherit_option || set_option
                    FROM pg_auth_members ORDER BY 1""")) {
                while (rows.next()) {
                    all.append(rows.getString(1)).append('\n');
                }
            }
        }
        assertFalse(all.isEmpty());
        return all.toString();
    }

    private static String name(String prefix) {
        return prefix + "_" + Long.toString(System.nanoTime(), 36);
    }

    private static Optional<Login> fromEnvironment(Map<String, String> env) {
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withMapping(ApplicationLoginConfig.class)
                    .withSources(new PropertiesConfigSource(ApplicationLoginTest.class.getResource("/application.properties"), 250))
                    .withSources(new EnvConfigSource(env, 300))
                    .build();
            return ApplicationLogin.fromConfig(config.getConfigMapping(ApplicationLoginConfig.class), config);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
