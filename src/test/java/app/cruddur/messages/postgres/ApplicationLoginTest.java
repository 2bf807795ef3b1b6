package app.cruddur.messages.postgres;

import static app.cruddur.messages.postgres.ApplicationLogin.SERVICE;
import static app.cruddur.messages.postgres.ApplicationLogin.SIGNUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.postgres.ApplicationLogin.Change;
import app.cruddur.messages.postgres.ApplicationLogin.Credentials;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.MasterDatabase;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The logins as the init run ensures them, the service's and the sign-up trigger's, on a migrated
 * database whose master user is no superuser (as on RDS). "Nothing changed" is read from the
 * server's own role catalogue, passwords' hashes included, for every role of the server.
 */
class ApplicationLoginTest {

    private static MasterDatabase db;

    @BeforeAll
    static void migratedDatabase() throws SQLException {
        db = MasterDatabase.create(LocalStackTestResource.started(), "login");
        db.migrate();
    }

    @ParameterizedTest
    @EnumSource(ApplicationLogin.class)
    void createsTheLoginThenLeavesItAsItIs(ApplicationLogin login) throws SQLException {
        Credentials credentials = login.credentials(name("new"), "first-password");

        assertEquals(EnumSet.of(Change.CREATED, Change.GROUP_ROLE_GRANTED), ensure(credentials));
        assertSignsInWithItsGroupRoleOnly(credentials);
        assertEquals(List.of(login.groupRole()), memberships(credentials.user()), "a member of its group role only");

        String before = roles();
        assertEquals(Set.of(), ensure(credentials), "the same secret again");
        assertEquals(before, roles(), "nothing changed, not even the password's hash");
    }

    @Test
    void bothLoginsAreEnsuredTogetherAndThenLeftAsTheyAre() throws SQLException {
        List<Credentials> logins = List.of(SERVICE.credentials(name("svc"), "service-secret"),
                SIGNUP.credentials(name("signup"), "signup-secret"));
        Map<Credentials, Set<Change>> changes = ensure(logins);
        assertEquals(logins, List.copyOf(changes.keySet()), "in declaration order");
        changes.values().forEach(changed -> assertEquals(EnumSet.of(Change.CREATED, Change.GROUP_ROLE_GRANTED), changed));
        for (Credentials each : logins) {
            assertSignsInWithItsGroupRoleOnly(each);
        }

        String before = roles();
        ensure(logins).values().forEach(changed -> assertEquals(Set.of(), changed));
        assertEquals(before, roles());
    }

    @ParameterizedTest
    @EnumSource(ApplicationLogin.class)
    void aPasswordThatNoLongerSignsInIsSetAgain(ApplicationLogin login) throws SQLException {
        Credentials credentials = login.credentials(name("pwd"), "the-secret");
        ensure(credentials);
        db.setPassword(credentials.user(), "changed-elsewhere");

        assertEquals(EnumSet.of(Change.PASSWORD_SET), ensure(credentials));
        assertSignsInWithItsGroupRoleOnly(credentials);
    }

    @Test
    void anExistingRoleGetsWhatItLacksAndKeepsTheRest() throws SQLException {
        String name = name("old");
        try (Connection master = db.masterConnection(); Statement statement = master.createStatement()) {
            statement.execute("CREATE ROLE " + name + " NOLOGIN CONNECTION LIMIT 30");
        }
        Credentials credentials = SIGNUP.credentials(name, "the-secret");

        assertEquals(EnumSet.of(Change.LOGIN_ALLOWED, Change.PASSWORD_SET, Change.GROUP_ROLE_GRANTED), ensure(credentials));
        assertSignsInWithItsGroupRoleOnly(credentials);
        try (Connection superuser = db.superuserConnection(); Statement statement = superuser.createStatement();
             ResultSet row = statement.executeQuery("SELECT rolconnlimit FROM pg_roles WHERE rolname = '" + name + "'")) {
            row.next();
            assertEquals(30, row.getInt(1), "what the login had is left alone");
        }
    }

    @ParameterizedTest
    @EnumSource(ApplicationLogin.class)
    void afterARotationTheCurrentLoginIsLeftAsItIs(ApplicationLogin login) throws SQLException {
        Credentials first = login.credentials(name("rot"), "before-rotation");
        ensure(first);
        // What SecretsManagerRDSPostgreSQLRotationMultiUser does, as the master user.
        Credentials clone = login.credentials(first.user() + "_clone", "after-rotation");
        db.rotate(first.user(), clone.password());
        String rotated = roles();

        assertEquals(Set.of(), ensure(clone), "the secret now names the clone");
        assertEquals(rotated, roles(), "nothing changed: no password set, no grant made to the clone");
        assertSignsInWithItsGroupRoleOnly(clone);
        assertEquals(List.of(login.groupRole(), first.user()), memberships(clone.user()));

        // The next rotation alternates back: a new password for the first login.
        Credentials back = login.credentials(first.user(), "second-rotation");
        db.setPassword(back.user(), back.password());
        String again = roles();
        assertEquals(Set.of(), ensure(back));
        assertEquals(again, roles());
    }

    @Test
    void aPasswordIsSetExactlyAsTheSecretHoldsIt() throws SQLException {
        for (String password : List.of("it's", "quote\" back\\slash", "'; DROP ROLE cruddur_app; --", "E'\\x41'",
                "tab\tand newline\n", "ünï €ode 𝄞", "%s %L {}")) {
            Credentials credentials = SERVICE.credentials(name("pw"), password);
            ensure(credentials);
            assertSignsInWithItsGroupRoleOnly(credentials);
            assertThrows(SQLException.class, () -> db.connectionAs(credentials.user(), password + "x").close());
        }
    }

    @Test
    void aRoleWithMoreThanItsGroupRoleIsRefusedAndLeftAlone() throws SQLException {
        String reader = name("reader");
        String creator = name("creator");
        try (Connection superuser = db.superuserConnection(); Statement statement = superuser.createStatement()) {
            statement.execute("CREATE ROLE " + reader + " LOGIN PASSWORD 'p'");
            statement.execute("GRANT pg_read_all_data TO " + reader);
            statement.execute("CREATE ROLE " + creator + " LOGIN CREATEDB PASSWORD 'p'");
        }
        String before = roles();
        for (ApplicationLogin login : ApplicationLogin.values()) {
            for (String user : List.of(db.master(), db.superuser(), reader, creator)) {
                ApplicationLoginException refused = assertThrows(ApplicationLoginException.class,
                        () -> ensure(login.credentials(user, "p")), login + " " + user);
                assertTrue(refused.getMessage().contains("nothing was changed"), refused.getMessage());
            }
        }
        assertEquals(before, roles());
    }

    @Test
    void aLoginOfOneGroupHoldingTheOthersRoleIsRefused() throws SQLException {
        // An existing service login named as the trigger's, and the other way round; also through a rotation's clone.
        Credentials service = SERVICE.credentials(name("svc"), "service-secret");
        Credentials signup = SIGNUP.credentials(name("signup"), "signup-secret");
        ensure(List.of(service, signup));
        String serviceClone = service.user() + "_clone";
        db.rotate(service.user(), "clone-secret");
        String before = roles();
        Map<Credentials, String> crossed = Map.of(
                SIGNUP.credentials(service.user(), service.password()), "is a member of cruddur_app, beyond cruddur_signup",
                SIGNUP.credentials(serviceClone, "clone-secret"), "is a member of cruddur_app, beyond cruddur_signup",
                SERVICE.credentials(signup.user(), signup.password()), "is a member of cruddur_signup, beyond cruddur_app");
        crossed.forEach((credentials, why) -> {
            ApplicationLoginException refused = assertThrows(ApplicationLoginException.class, () -> ensure(credentials),
                    credentials.toString());
            assertTrue(refused.getMessage().contains(why) && refused.getMessage().contains(credentials.login().userVariable()),
                    refused.getMessage());
        });
        // One refused login stops both before either is changed.
        Credentials fresh = SERVICE.credentials(name("fresh"), "fresh-secret");
        assertThrows(ApplicationLoginException.class,
                () -> ensure(List.of(fresh, SIGNUP.credentials(service.user(), service.password()))));
        assertEquals(before, roles(), "nothing changed, and the fresh login not created");
    }

    @Test
    void namesAndPasswordsTheLoginsCouldNotUseAreRefused() {
        for (ApplicationLogin login : ApplicationLogin.values()) {
            for (String user : List.of("Svc", "1svc", "svc-app", "svc;drop", "svc app", "pg_svc", "cruddur_app", "cruddur_signup",
                    "", "a".repeat(58), "a".repeat(58) + "_clone")) {
                ApplicationLoginException refused = assertThrows(ApplicationLoginException.class,
                        () -> login.credentials(user, "p"), user);
                assertTrue(refused.getMessage().startsWith(login.userVariable()), refused.getMessage());
            }
            login.credentials("a".repeat(57), "p");
            login.credentials("a".repeat(57) + "_clone", "p");
            for (String password : List.of("", "a$b", "a${b}", "a$$b", "nul\0")) {
                ApplicationLoginException refused = assertThrows(ApplicationLoginException.class,
                        () -> login.credentials("svc", password), password);
                assertTrue(refused.getMessage().startsWith(login.passwordVariable()), refused.getMessage());
            }
            assertThrows(ApplicationLoginException.class, () -> login.of(Optional.of("svc"), Optional.empty(), Optional.empty()));
            assertThrows(ApplicationLoginException.class, () -> login.of(Optional.empty(), Optional.of("p"), Optional.of("p")));
        }
    }

    @Test
    void theConfigurationGivesEachLoginsSecretAsItIsOrNothing() {
        assertEquals(List.of(), fromEnvironment(Map.of()), "dev, test, docker compose: no login to ensure");
        Map<String, String> service = Map.of("POSTGRES_APP_USER", "svc", "POSTGRES_APP_PASSWORD", "plain-secret");
        Map<String, String> signup = Map.of("POSTGRES_SIGNUP_USER", "signup", "POSTGRES_SIGNUP_PASSWORD", "other-secret");
        assertEquals(List.of(SERVICE.credentials("svc", "plain-secret")), fromEnvironment(service));
        assertEquals(List.of(SIGNUP.credentials("signup", "other-secret")), fromEnvironment(signup), "each one alone");
        Map<String, String> both = new java.util.HashMap<>(service);
        both.putAll(signup);
        assertEquals(List.of(SERVICE.credentials("svc", "plain-secret"), SIGNUP.credentials("signup", "other-secret")),
                fromEnvironment(both));
        // "$$" reaches the configuration as "$": the login would get another password than the secret's.
        for (String password : List.of("a$$b", "x\\${y}")) {
            for (Map<String, String> env : List.of(Map.of("POSTGRES_APP_USER", "svc", "POSTGRES_APP_PASSWORD", password),
                    Map.of("POSTGRES_SIGNUP_USER", "signup", "POSTGRES_SIGNUP_PASSWORD", password))) {
                ApplicationLoginException refused = assertThrows(ApplicationLoginException.class, () -> fromEnvironment(env));
                assertTrue(refused.getMessage().contains("exclude '$'"), refused.getMessage());
            }
        }
        assertThrows(ApplicationLoginException.class, () -> fromEnvironment(Map.of("POSTGRES_SIGNUP_USER", "signup")));
        // Two logins with one name, or one the other's clone, would be one role with both group roles.
        for (String user : List.of("svc", "svc_clone")) {
            ApplicationLoginException refused = assertThrows(ApplicationLoginException.class, () -> fromEnvironment(Map.of(
                    "POSTGRES_APP_USER", "svc", "POSTGRES_APP_PASSWORD", "p1", "POSTGRES_SIGNUP_USER", user,
                    "POSTGRES_SIGNUP_PASSWORD", "p2")));
            assertTrue(refused.getMessage().contains("each login has a name of its own"), refused.getMessage());
        }
    }

    private static Set<Change> ensure(Credentials credentials) throws SQLException {
        try (Connection master = db.masterConnection()) {
            return ApplicationLogin.ensure(master, credentials, db::connectionAs);
        }
    }

    private static Map<Credentials, Set<Change>> ensure(List<Credentials> logins) throws SQLException {
        try (Connection master = db.masterConnection()) {
            return ApplicationLogin.ensure(master, logins, db::connectionAs);
        }
    }

    /** It signs in, holds its own group role and its privileges on users, and not the other's. */
    private static void assertSignsInWithItsGroupRoleOnly(Credentials credentials) throws SQLException {
        boolean signup = credentials.login() == SIGNUP;
        try (Connection connection = db.connectionAs(credentials.user(), credentials.password());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_user, pg_has_role('cruddur_app', 'USAGE'),"
                     + " pg_has_role('cruddur_signup', 'USAGE'), has_table_privilege('users', 'SELECT'),"
                     + " has_table_privilege('users', 'INSERT')")) {
            row.next();
            assertEquals(credentials.user(), row.getString(1));
            assertEquals(!signup, row.getBoolean(2), credentials + " holds cruddur_app");
            assertEquals(signup, row.getBoolean(3), credentials + " holds cruddur_signup");
            assertTrue(row.getBoolean(4), credentials + " may read users");
            assertEquals(signup, row.getBoolean(5), credentials + " may insert users");
        }
    }

    /** The roles {@code user} is a member of, directly or not, by name. */
    private static List<String> memberships(String user) throws SQLException {
        try (Connection superuser = db.superuserConnection(); Statement statement = superuser.createStatement();
             ResultSet rows = statement.executeQuery("SELECT rolname FROM pg_roles WHERE rolname <> '" + user + "'"
                     + " AND pg_has_role('" + user + "', oid, 'MEMBER') ORDER BY rolname")) {
            List<String> names = new ArrayList<>();
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

    private static List<Credentials> fromEnvironment(Map<String, String> env) {
        try {
            SmallRyeConfig config = new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withMapping(ApplicationLoginConfig.class)
                    .withSources(new PropertiesConfigSource(ApplicationLoginTest.class.getResource("/application.properties"), 250))
                    .withSources(new EnvConfigSource(env, 300))
                    .build();
            return ApplicationLogin.fromConfig(config.getConfigMapping(ApplicationLoginConfig.class), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
