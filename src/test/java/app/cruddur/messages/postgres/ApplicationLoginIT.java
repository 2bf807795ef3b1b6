package app.cruddur.messages.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.MasterDatabase;
import app.cruddur.messages.support.RecordingContext;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.user.signup.PostConfirmationEvents;
import app.cruddur.messages.user.signup.SignUpLambdaHandler;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as it runs on AWS: an init run (QUARKUS_INIT_AND_EXIT=true) as the master
 * user migrates a fresh database and ensures the service's login and the sign-up trigger's, then
 * exits; the trigger writes a user's row as its login, and the service runs as its own login alone,
 * with no master credentials in its environment. Again with the same secrets, and after a rotation
 * of each secret by alternating users. A login that holds the other group's role stops the init run.
 */
class ApplicationLoginIT {

    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(60);
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private static LocalStackProcess stack;

    @BeforeAll
    static void localStack() {
        stack = LocalStackTestResource.started();
    }

    @Test
    void theInitRunPreparesTheLoginsTheServiceAndTheTriggerRunAsAlsoAfterRotations() throws Exception {
        MasterDatabase db = MasterDatabase.create(stack, "initrun");
        String id = Long.toString(System.nanoTime(), 36);
        String service = "cruddur_svc_" + id;
        String servicePassword = "first-" + UUID.randomUUID();
        String signup = "cruddur_signup_" + id;
        String signupPassword = "signup-" + UUID.randomUUID();

        String log = init(db, logins(service, servicePassword, signup, signupPassword));
        assertTrue(log.contains("Successfully applied 4 migrations"), "the init run migrated the fresh database");
        assertTrue(log.contains("PostgreSQL login " + service + " of the service: created with the secret's password,"
                + " granted cruddur_app"), log);
        assertTrue(log.contains("PostgreSQL login " + signup + " of the sign-up trigger: created with the secret's password,"
                + " granted cruddur_signup"), log);
        assertFalse(log.contains("Listening on"), "the init run serves nothing");

        UsersTable.Member user = signedUpUser(db, signup, signupPassword, "first");
        try (ServiceProcess running = serviceAs(db, service, servicePassword)) {
            assertServes(db, running, user, service);

            // A new deployment while it runs: the same secrets, nothing to change.
            String before = role(db, service) + role(db, signup);
            log = init(db, logins(service, servicePassword, signup, signupPassword));
            assertTrue(log.contains("PostgreSQL login " + service + " of the service: left as it was"), log);
            assertTrue(log.contains("PostgreSQL login " + signup + " of the sign-up trigger: left as it was"), log);
            assertEquals(before, role(db, service) + role(db, signup), "both logins' password hashes and memberships as they were");
            assertServes(db, running, user, service);
        }

        // A rotation of each secret, as SecretsManagerRDSPostgreSQLRotationMultiUser makes it as the
        // master user: each secret now names <login>_clone with a new password.
        String serviceClone = service + "_clone";
        String serviceRotated = "second-" + UUID.randomUUID();
        String signupClone = signup + "_clone";
        String signupRotated = "signup-second-" + UUID.randomUUID();
        db.rotate(service, serviceRotated);
        db.rotate(signup, signupRotated);
        String before = role(db, service) + role(db, serviceClone) + role(db, signup) + role(db, signupClone);
        log = init(db, logins(serviceClone, serviceRotated, signupClone, signupRotated));
        assertTrue(log.contains("PostgreSQL login " + serviceClone + " of the service: left as it was"), log);
        assertTrue(log.contains("PostgreSQL login " + signupClone + " of the sign-up trigger: left as it was"), log);
        assertEquals(before, role(db, service) + role(db, serviceClone) + role(db, signup) + role(db, signupClone),
                "the init run left all four logins as the rotations made them");
        UsersTable.Member another = signedUpUser(db, signupClone, signupRotated, "rotated");
        try (ServiceProcess running = serviceAs(db, serviceClone, serviceRotated)) {
            assertServes(db, running, user, serviceClone);
            assertServes(db, running, another, serviceClone);
        }
    }

    @Test
    void aLoginHoldingTheOtherGroupsRoleStopsTheInitRunBeforeAnyLoginChanges() throws Exception {
        MasterDatabase db = MasterDatabase.create(stack, "crossed");
        db.migrate();
        String id = Long.toString(System.nanoTime(), 36);
        String crossed = "crossed_" + id;
        try (Connection master = db.masterConnection(); Statement statement = master.createStatement()) {
            statement.execute("CREATE ROLE " + crossed + " WITH LOGIN PASSWORD 'crossed-secret'");
            statement.execute("GRANT cruddur_app TO " + crossed);
        }
        String before = role(db, crossed);
        String fresh = "fresh_" + id;

        Run run = run(db, logins(fresh, "fresh-secret", crossed, "crossed-secret"));
        assertEquals(1, run.exit().code(), run.log());
        assertTrue(run.log().contains("POSTGRES_SIGNUP_USER names the role " + crossed + ", which is a member of cruddur_app,"
                + " beyond cruddur_signup"), run.log());
        assertEquals(before, role(db, crossed), "the refused login as it was");
        try (Connection superuser = db.superuserConnection(); Statement statement = superuser.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + fresh + "'")) {
            row.next();
            assertEquals(0, row.getInt(1), "the service's login, which was fine, not created either");
        }
    }

    /** Each login's variables, as the init container gets them from the two secrets. */
    private static Map<String, String> logins(String service, String servicePassword, String signup, String signupPassword) {
        return Map.of("POSTGRES_APP_USER", service, "POSTGRES_APP_PASSWORD", servicePassword,
                "POSTGRES_SIGNUP_USER", signup, "POSTGRES_SIGNUP_PASSWORD", signupPassword);
    }

    private record Run(ServiceProcess.Exit exit, String log) {
    }

    /** An init run as the master user that must exit 0 on its own. Returns its log. */
    private static String init(MasterDatabase db, Map<String, String> logins) throws IOException {
        Run run = run(db, logins);
        assertEquals(0, run.exit().code(), "the init run failed\n" + run.log());
        return run.log();
    }

    private static Run run(MasterDatabase db, Map<String, String> logins) throws IOException {
        Path log = Files.createTempFile("init-run", ".log");
        Map<String, String> env = new HashMap<>(database(db, db.master(), db.masterPassword()));
        env.put("QUARKUS_INIT_AND_EXIT", "true");
        env.putAll(logins);
        // It needs PostgreSQL alone: a startup observer (the table's creation) or the HTTP server would fail on these.
        String nothing = "localhost:" + closedPort();
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", "http://" + nothing);
        env.put("REDIS_URL", "redis://" + nothing);
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", "http://" + nothing + "/pool");
        ServiceProcess.Exit exit = ServiceProcess.run(ROOT, stack, log, env, INIT_TIMEOUT);
        System.out.printf("init run: exit %d after %d ms%n", exit.code(), exit.took().toMillis());
        return new Run(exit, Files.readString(log) + "\n(" + log + ")");
    }

    private static ServiceProcess serviceAs(MasterDatabase db, String login, String password) throws IOException {
        Map<String, String> env = new HashMap<>(database(db, login, password));
        env.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
        ServiceProcess service = ServiceProcess.start(ROOT, stack, Files.createTempFile("service-" + login, ".log"), env);
        List<String> environment = environmentOf(service.pid());
        for (String entry : environment) {
            String value = entry.substring(entry.indexOf('=') + 1);
            assertTrue(!value.equals(db.master()) && !value.equals(db.masterPassword()) && !value.equals(db.superuserPassword()),
                    "no master credentials in the service's environment: " + entry.substring(0, entry.indexOf('=')));
        }
        assertTrue(environment.contains("POSTGRES_USER=" + login));
        return service;
    }

    private static Map<String, String> database(MasterDatabase db, String user, String password) {
        return Map.of("POSTGRES_URL", db.url(), "POSTGRES_USER", user, "POSTGRES_PASSWORD", password);
    }

    /** GET /api/me reads the caller's users row; readiness is UP; every session of the service is the login's. */
    private static void assertServes(MasterDatabase db, ServiceProcess service, UsersTable.Member user, String login)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> me = http.send(HttpRequest.newBuilder(service.baseUri().resolve("/api/me"))
                .header("Authorization", "Bearer " + user.token()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(user.handle(), JsonPath.from(me.body()).getString("handle"));
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(service.managementUri().resolve("/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", JsonPath.from(ready.body()).getString("status"));
        try (Connection superuser = db.superuserConnection(); Statement statement = superuser.createStatement();
             ResultSet rows = statement.executeQuery("SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database()"
                     + " AND backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            List<String> users = new ArrayList<>();
            while (rows.next()) {
                users.add(rows.getString(1));
            }
            assertEquals(List.of(login), users, "the service signs in as its login only");
        }
    }

    /**
     * A Cognito user of the local pool whose users row the sign-up trigger wrote, in-process, as the
     * given login; the user's access token.
     */
    private static UsersTable.Member signedUpUser(MasterDatabase db, String login, String password, String prefix) {
        String handle = "initrun" + prefix + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        String email = handle + "@cruddur.test";
        String sub = stack.ensureCognitoUser(handle, email, "Test " + handle);
        SignUpLambdaHandler trigger = new SignUpLambdaHandler(db.url(), "disable", Path.of("none.pem"), login, password);
        RecordingContext context = new RecordingContext();
        trigger.handleRequest(PostConfirmationEvents.signUp(PostConfirmationEvents.attributes(sub, handle, "Test " + handle,
                email)), context);
        assertEquals(List.of("sign-up sub=" + sub + " outcome=created handle=" + handle), context.events());
        return new UsersTable.Member(handle, stack.signIn(email, null).path("AccessToken").asText());
    }

    /** The role's row in pg_authid (its password hash included) and its memberships. */
    private static String role(MasterDatabase db, String name) throws SQLException {
        try (Connection superuser = db.superuserConnection(); PreparedStatement query = superuser.prepareStatement("""
                SELECT a::text, (SELECT string_agg(roleid::regrole || ' ' || inherit_option, ',' ORDER BY roleid)
                                 FROM pg_auth_members WHERE member = a.oid)
                FROM pg_authid a WHERE rolname = ?""")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), name + " exists");
                return row.getString(1) + " " + row.getString(2);
            }
        }
    }

    /** The variables a process of this user runs with (Linux). */
    private static List<String> environmentOf(long pid) throws IOException {
        String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
        return List.of(environ.split("\0"));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
