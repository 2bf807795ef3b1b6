package app.cruddur.messages.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.seed.SeedUsers;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.user.cognito.CognitoUserPool;
import app.cruddur.messages.user.cognito.CognitoUserPool.PoolUser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/db/setup, bin/db/update-cognito-user-ids and bin/cognito/list-users against the local stack's
 * PostgreSQL and cognito-local. Each test gets a fresh database, user pool and table on the shared
 * stack, so "fresh local stack" is what setup really sees.
 */
class AccountToolsTest {

    @TempDir
    Path temp;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Map<String, Object> stack;

    private String database;
    private String poolId;
    private String clientId;
    private String table;
    private Map<String, String> env;

    @BeforeAll
    static void localStack() {
        stack = LocalStackTestResource.started().coordinates();
    }

    @BeforeEach
    void freshStores() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        database = "accounts_" + suffix;
        try (Connection admin = connect((String) stack.get("postgresDatabase")); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        poolId = cognito("CreateUserPool", Map.of("PoolName", "accounts-" + suffix)).path("UserPool").path("Id").asText();
        clientId = cognito("CreateUserPoolClient", Map.of("UserPoolId", poolId, "ClientName", "web",
                "ExplicitAuthFlows", List.of("ALLOW_USER_PASSWORD_AUTH"))).path("UserPoolClient").path("ClientId").asText();
        table = "accounts-" + suffix;
        Map<String, Object> fresh = new LinkedHashMap<>(stack);
        fresh.put("postgresDatabase", database);
        fresh.put("cognitoUserPoolId", poolId);
        Path coordinates = temp.resolve("coordinates-" + System.nanoTime() + ".json");
        JSON.writeValue(coordinates.toFile(), fresh);
        env = Map.of("CRUDDUR_LOCAL_COORDINATES", coordinates.toString(), "DYNAMODB_TABLE_NAME", table);
    }

    @Test
    void setupBringsAFreshStackToTheSeededStateAndChangesNothingTheSecondTime() throws Exception {
        ToolRun first = db("setup");
        assertEquals(0, first.code(), first.err());
        List<String> lines = first.out().lines().toList();
        int migrations = migrations();
        assertEquals("migrations: " + migrations + " applied, schema at version " + migrations, lines.get(0));
        assertEquals("table " + table + ": created", lines.get(1));
        assertEquals("users: 3 added, 0 already there", lines.get(2));
        assertTrue(lines.get(3).startsWith("conversation 5ae290ed-55d1-47a0-bc6d-fe2bc2700399: written"), lines.get(3));
        assertEquals("Cognito pool " + poolId + ": andrewbrown, bayko, londo can sign in (bin/local-token HANDLE)", lines.get(4));
        assertEquals("cognito_user_id: 3 set, 0 already set, 0 problems", lines.get(lines.size() - 1));

        Map<String, String> subs = pool().listUsers().stream()
                .collect(Collectors.toMap(u -> u.preferredUsername().orElseThrow(), PoolUser::sub));
        assertEquals(Map.of("andrewbrown", subs.get("andrewbrown"), "bayko", subs.get("bayko"), "londo", subs.get("londo")),
                linkedSubs());
        assertEquals(3, subs.values().stream().distinct().filter(s -> s.length() == 36).count());
        // The password is set: each seed user can sign in to the new pool.
        for (SeedUsers.SeedUser user : SeedUsers.ALL) {
            assertFalse(pool().signIn(clientId, user.email(), LocalStackProcess.LOCAL_PASSWORD).path("AccessToken").asText().isEmpty());
        }
        assertEquals(migrations(), count("SELECT count(*) FROM flyway_schema_history WHERE success"));
        long items = itemCount();
        assertEquals(124, items);

        ToolRun second = db("setup");
        assertEquals(0, second.code(), second.err());
        List<String> again = second.out().lines().toList();
        assertEquals("migrations: 0 applied, schema at version " + migrations(), again.get(0));
        assertEquals("table " + table + ": already there", again.get(1));
        assertEquals("users: 0 added, 3 already there", again.get(2));
        assertTrue(again.get(3).contains(": already there"), again.get(3));
        assertEquals("cognito_user_id: 0 set, 3 already set, 0 problems", again.get(again.size() - 1));
        assertEquals(3, pool().listUsers().size());
        assertEquals(3, count("SELECT count(*) FROM users"));
        assertEquals(items, itemCount());
        assertEquals(subs.get("bayko"), linkedSubs().get("bayko"));
    }

    @Test
    void listUsersPrintsPreferredUsernameAndSubOfEveryUser() {
        assertEquals(0, db("setup").code());
        ToolRun listed = cognitoTool("list-users");
        assertEquals(0, listed.code(), listed.err());
        List<String> lines = listed.out().lines().toList();
        assertEquals(List.of("preferred_username", "sub", "sign-in", "name", "(status)"), List.of(lines.get(0).split("\\s+")));
        for (PoolUser user : pool().listUsers()) {
            String handle = user.preferredUsername().orElseThrow();
            assertTrue(lines.contains(String.format("%-18s  %-36s  %s", handle, user.sub(), handle + "@cruddur.test (CONFIRMED)")),
                    listed.out());
        }
        assertEquals("3 users in pool " + poolId, lines.get(lines.size() - 1));
        assertEquals(5, lines.size());
    }

    @Test
    void updateCognitoUserIdsLinksByPreferredUsernameAndReportsWhatItCannotMatch() throws Exception {
        assertEquals(0, db("setup").code());
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO users (uuid, handle, display_name, email) VALUES "
                    + "(gen_random_uuid(), 'ghost', 'Ghost', 'ghost@cruddur.test'), "
                    + "(gen_random_uuid(), 'twin', 'Twin', 'twin@cruddur.test'), "
                    + "(gen_random_uuid(), 'renamed', 'Renamed', 'renamed@cruddur.test')");
            // A stale link, as after a user was recreated in Cognito.
            statement.execute("UPDATE users SET cognito_user_id = 'stale-sub' WHERE handle = 'bayko'");
        }
        CognitoUserPool pool = pool();
        pool.ensureUser("twin-1@cruddur.test", Map.of("preferred_username", "twin"), LocalStackProcess.LOCAL_PASSWORD);
        pool.ensureUser("twin-2@cruddur.test", Map.of("preferred_username", "twin"), LocalStackProcess.LOCAL_PASSWORD);
        pool.ensureUser("orphan@cruddur.test", Map.of("preferred_username", "orphan"), LocalStackProcess.LOCAL_PASSWORD);
        pool.ensureUser("nameless@cruddur.test", Map.of(), LocalStackProcess.LOCAL_PASSWORD);
        String baykoSub = pool.findUser("bayko@cruddur.test").orElseThrow().sub();

        ToolRun result = db("update-cognito-user-ids");
        assertEquals(0, result.code(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals(List.of(
                "@bayko -> " + baykoSub + " (was stale-sub)",
                "cognito_user_id: 1 set, 2 already set, 5 problems",
                "  Cognito user nameless@cruddur.test has no preferred_username",
                "  @ghost: no Cognito user has preferred_username ghost",
                "  @renamed: no Cognito user has preferred_username renamed",
                "  @twin: 2 Cognito users have preferred_username twin (twin-1@cruddur.test, twin-2@cruddur.test); left as it was",
                "  Cognito user orphan@cruddur.test (preferred_username orphan) has no row in users"), lines);
        Map<String, String> linked = linkedSubs();
        assertEquals(baykoSub, linked.get("bayko"));
        assertNull(linked.get("ghost"));
        assertNull(linked.get("twin"));
    }

    @Test
    void aSubAlreadyLinkedToAnotherRowIsReportedNotMoved() throws Exception {
        assertEquals(0, db("setup").code());
        String londoSub = pool().findUser("londo@cruddur.test").orElseThrow().sub();
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            // londo's sub sits on a row whose handle no Cognito user claims; londo's own row is unlinked.
            statement.execute("UPDATE users SET cognito_user_id = NULL WHERE handle = 'londo'");
            statement.execute("INSERT INTO users (uuid, handle, display_name, email, cognito_user_id) VALUES "
                    + "(gen_random_uuid(), 'oldlondo', 'Old', 'old@cruddur.test', '" + londoSub + "')");
        }
        ToolRun result = db("update-cognito-user-ids");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("  @londo: sub " + londoSub + " is already the cognito_user_id of another user; left as it was"),
                result.out());
        assertNull(linkedSubs().get("londo"));
        assertEquals(londoSub, linkedSubs().get("oldlondo"));
    }

    @Test
    void wrongArgumentsAndMissingSettingsAreOneLine() {
        ToolRun setupProd = db("setup", "prod");
        assertEquals(2, setupProd.code());
        assertTrue(setupProd.err().startsWith("bin/db/setup is for the local stack only"), setupProd.err());
        assertEquals(2, db().code());
        assertEquals(2, db("update-cognito-user-ids", "extra").code());
        assertEquals(2, cognitoTool("list-users", "extra").code());
        assertEquals(2, cognitoTool().code());

        ToolRun noPool = ToolRun.of(out -> new CognitoTool(out)::run, Map.of("AWS_REGION", "eu-west-1"),
                "list-users", "prod");
        assertEquals(2, noPool.code());
        assertEquals("COGNITO_USER_POOL_ID is not set\n", noPool.err());
    }

    @Test
    void anUnreachableCognitoIsOneLineAndExitOne() throws Exception {
        Map<String, Object> nowhere = new HashMap<>(stack);
        nowhere.put("cognitoEndpoint", "http://localhost:9");
        Path coordinates = temp.resolve("coordinates-" + System.nanoTime() + ".json");
        JSON.writeValue(coordinates.toFile(), nowhere);
        ToolRun result = ToolRun.of(out -> new CognitoTool(out)::run,
                Map.of("CRUDDUR_LOCAL_COORDINATES", coordinates.toString()), "list-users");
        assertEquals(1, result.code());
        assertTrue(result.err().startsWith("the local stack is not answering (Cognito: unreachable: http://localhost:9/ does not answer"),
                result.err());
        assertEquals(1, result.err().lines().count());
    }

    /**
     * The prod path, in a JVM of its own with only environment variables, as an operator runs it:
     * default credential chain and region, COGNITO_USER_POOL_ID, POSTGRES_*, the SDK's endpoint
     * variable pointing at cognito-local (which accepts the SigV4 signature without checking it).
     */
    @Test
    void prodReadsItsSettingsFromTheEnvironment() throws Exception {
        assertEquals(0, db("setup").code());
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE users SET cognito_user_id = NULL");
        }
        Map<String, String> prod = new HashMap<>();
        prod.put("AWS_REGION", "eu-west-1");
        prod.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        prod.put("AWS_SECRET_ACCESS_KEY", "secret");
        prod.put("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", stack.get("cognitoEndpoint") + "/");
        prod.put("COGNITO_USER_POOL_ID", poolId);
        prod.put("POSTGRES_URL", "postgresql://" + stack.get("postgresHost") + ":" + stack.get("postgresPort") + "/" + database);
        prod.put("POSTGRES_USER", (String) stack.get("postgresUser"));
        prod.put("POSTGRES_PASSWORD", (String) stack.get("postgresPassword"));

        ToolRun listed = java(prod, CognitoTool.class, "list-users", "prod");
        assertEquals(0, listed.code(), listed.err());
        assertTrue(listed.out().endsWith("3 users in pool " + poolId + "\n"), listed.out());

        ToolRun synced = java(prod, DbTool.class, "update-cognito-user-ids", "prod");
        assertEquals(0, synced.code(), synced.err());
        assertTrue(synced.out().contains("cognito_user_id: 3 set, 0 already set, 0 problems"), synced.out());
        assertEquals(3, linkedSubs().values().stream().filter(s -> s != null).count());

        prod.remove("AWS_ACCESS_KEY_ID");
        prod.remove("AWS_SECRET_ACCESS_KEY");
        prod.put("AWS_CONFIG_FILE", "/nonexistent");
        prod.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
        prod.put("AWS_EC2_METADATA_DISABLED", "true");
        ToolRun noCredentials = java(prod, CognitoTool.class, "list-users", "prod");
        assertEquals(1, noCredentials.code());
        assertTrue(noCredentials.err().startsWith("Cognito: ListUsers: NoCredentials: no AWS credentials to sign with"),
                noCredentials.err());
        assertEquals(1, noCredentials.err().lines().count(), noCredentials.err());
    }

    private ToolRun java(Map<String, String> environment, Class<?> main, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("COGNITO_")
                || name.startsWith("POSTGRES_"));
        builder.environment().put("HOME", Files.createDirectories(temp.resolve("home")).toString());
        builder.environment().putAll(environment);
        return ToolRun.ofProcess(builder, 60);
    }

    private CognitoUserPool pool() {
        return CognitoUserPool.local(URI.create(stack.get("cognitoEndpoint") + "/"), poolId);
    }

    private Map<String, String> linkedSubs() throws SQLException {
        Map<String, String> linked = new HashMap<>();
        try (Connection connection = connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT handle, cognito_user_id FROM users")) {
            while (rows.next()) {
                linked.put(rows.getString(1), rows.getString(2));
            }
        }
        return linked;
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private long itemCount() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, new DdbTool(print(out), q -> "").run(List.of("scan"), env, print(new ByteArrayOutputStream())));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return Long.parseLong(lines.get(lines.size() - 1).split(" ")[0]);
    }

    private static Connection connect(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + stack.get("postgresHost") + ":" + stack.get("postgresPort")
                + "/" + name, (String) stack.get("postgresUser"), (String) stack.get("postgresPassword"));
    }

    /** Pool administration the tools never do, straight on cognito-local's JSON API. */
    private static JsonNode cognito(String action, Map<String, ?> body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.get("cognitoEndpoint") + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSCognitoIdentityProviderService." + action)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private ToolRun db(String... args) {
        return ToolRun.of(out -> new DbTool(out)::run, env, args);
    }

    private ToolRun cognitoTool(String... args) {
        return ToolRun.of(out -> new CognitoTool(out)::run, env, args);
    }


    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    /** The versioned migrations in db/migration (V1__ to Vn__, numbered without gaps). */
    private static int migrations() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("db", "migration"))) {
            int count = (int) files.filter(file -> file.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
            assertTrue(count >= 4, "db/migration holds the migrations: " + count);
            return count;
        }
    }
}
