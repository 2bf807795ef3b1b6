package app.cruddur.messages.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.MasterDatabase;
import app.cruddur.messages.support.ServiceProcess;
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
 * user migrates a fresh database and ensures the service's login, then exits; the service runs as
 * that login alone, with no master credentials in its environment. Again with the same secret,
 * and after a rotation of the secret by alternating users.
 */
class ApplicationLoginIT {

    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(60);
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private static LocalStackProcess stack;
    private static MasterDatabase db;

    @BeforeAll
    static void freshDatabase() throws SQLException {
        new LocalStackTestResource().start();
        stack = LocalStackProcess.current();
        db = MasterDatabase.create(stack, "initrun");
    }

    @Test
    void theInitRunPreparesTheLoginTheServiceRunsAsAlsoAfterARotation() throws Exception {
        String login = "cruddur_svc_" + Long.toString(System.nanoTime(), 36);
        String password = "first-" + UUID.randomUUID();
        String handle = "initrun" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);

        String log = init(login, password);
        assertTrue(log.contains("Successfully applied 4 migrations"), "the init run migrated the fresh database");
        assertTrue(log.contains("PostgreSQL login " + login + " of the service: created with the secret's password, granted cruddur_app"), log);
        assertFalse(log.contains("Listening on"), "the init run serves nothing");

        String token = signedUpUser(handle);
        try (ServiceProcess service = serviceAs(login, password)) {
            assertServes(service, token, handle, login);

            // A new deployment while it runs: the same secret, nothing to change.
            String before = role(login);
            assertTrue(init(login, password).contains("PostgreSQL login " + login + " of the service: left as it was"));
            assertEquals(before, role(login), "the login's password hash and memberships are as they were");
            assertServes(service, token, handle, login);
        }

        // A rotation, as SecretsManagerRDSPostgreSQLRotationMultiUser makes it as the master user:
        // the secret now names <login>_clone with a new password.
        String clone = login + "_clone";
        String rotated = "second-" + UUID.randomUUID();
        try (Connection master = db.masterConnection(); Statement statement = master.createStatement()) {
            statement.execute("CREATE ROLE " + clone + " WITH LOGIN PASSWORD '" + rotated + "'");
            statement.execute("GRANT " + login + " TO " + clone);
        }
        String before = role(login) + role(clone);
        assertTrue(init(clone, rotated).contains("PostgreSQL login " + clone + " of the service: left as it was"));
        assertEquals(before, role(login) + role(clone), "the init run left both logins as the rotation made them");
        try (ServiceProcess service = serviceAs(clone, rotated)) {
            assertServes(service, token, handle, clone);
        }
    }

    /** An init run as the master user; it must exit 0 on its own. Returns its log. */
    private static String init(String login, String password) throws IOException {
        Path log = Files.createTempFile("init-run", ".log");
        Map<String, String> env = new HashMap<>(database(db.master(), db.masterPassword()));
        env.put("QUARKUS_INIT_AND_EXIT", "true");
        env.put("POSTGRES_APP_USER", login);
        env.put("POSTGRES_APP_PASSWORD", password);
        // It needs PostgreSQL alone: a startup observer (the table's creation) or the HTTP server would fail on these.
        String nothing = "localhost:" + closedPort();
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", "http://" + nothing);
        env.put("REDIS_URL", "redis://" + nothing);
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", "http://" + nothing + "/pool");
        ServiceProcess.Exit exit = ServiceProcess.run(ROOT, stack, log, env, INIT_TIMEOUT);
        String output = Files.readString(log);
        assertEquals(0, exit.code(), "the init run failed; see " + log + "\n" + output);
        System.out.printf("init run: exit %d after %d ms%n", exit.code(), exit.took().toMillis());
        return output;
    }

    private static ServiceProcess serviceAs(String login, String password) throws IOException {
        Map<String, String> env = new HashMap<>(database(login, password));
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

    private static Map<String, String> database(String user, String password) {
        return Map.of("POSTGRES_URL", db.url(), "POSTGRES_USER", user, "POSTGRES_PASSWORD", password);
    }

    /** GET /api/me reads the caller's users row; readiness is UP; every session of the service is the login's. */
    private static void assertServes(ServiceProcess service, String token, String handle, String login) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> me = http.send(HttpRequest.newBuilder(service.baseUri().resolve("/api/me"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(handle, JsonPath.from(me.body()).getString("handle"));
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

    /** A Cognito user of the local pool with a users row in the fresh database; its access token. */
    private static String signedUpUser(String handle) throws SQLException {
        String email = handle + "@cruddur.test";
        String sub = stack.ensureCognitoUser(handle, email, "Test " + handle);
        try (Connection master = db.masterConnection(); PreparedStatement insert = master.prepareStatement(
                "INSERT INTO users (display_name, handle, email, cognito_user_id) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, "Test " + handle);
            insert.setString(2, handle);
            insert.setString(3, email);
            insert.setString(4, sub);
            insert.executeUpdate();
        }
        return stack.signIn(email, null).path("AccessToken").asText();
    }

    /** The role's row in pg_authid (its password hash included) and its memberships. */
    private static String role(String name) throws SQLException {
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
