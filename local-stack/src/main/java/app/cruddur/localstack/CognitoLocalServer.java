package app.cruddur.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * cognito-local (npm, pinned by local-stack/cognito/package-lock.json) in a Node process, with the
 * user pool and app client of the service. Tokens it issues are RS256 JWTs with Cognito's claims,
 * published through {@code /<poolId>/.well-known/jwks.json}.
 *
 * <p>The pool works like Cruddur's: people sign in with their email (the pool's user names are
 * emails), {@code preferred_username} is the handle and {@code name} the display name, and emails
 * count as verified. The pool and the web client have fixed ids, the same as the docker compose
 * stack's, so that a frontend's configuration stays valid from one start to the next.
 */
final class CognitoLocalServer {

    static final String POOL_ID = "local_cruddur";
    static final String CLIENT_ID = "cruddurwebclientlocal0001";
    static final String CLIENT_NAME = "cruddur-web";
    /** What the frontend and bin/local-token use: USER_PASSWORD_AUTH (cognito-local has no SRP). */
    static final List<String> AUTH_FLOWS = List.of("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final Path packageDir;
    private final Path workDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private String userPoolId;
    private String clientId;

    CognitoLocalServer(int port, Path packageDir, Path workDir) {
        this.port = port;
        this.packageDir = packageDir;
        this.workDir = workDir;
    }

    void start() throws Exception {
        installPackage();
        writePool();
        ProcessBuilder builder = new ProcessBuilder("node", packageDir.resolve("server.js").toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("cognito-local.log").toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("NODE_PATH", packageDir.resolve("node_modules").toString());
        process = builder.start();
        awaitUp();
        userPoolId = POOL_ID;
        clientId = findOrCreateClient(userPoolId, CLIENT_NAME);
    }

    /**
     * The pool and its web client as cognito-local's own files, written when missing (a kept data
     * directory keeps its users). A pool file without options takes cognito-local's defaults for a
     * new pool, with the {@code UserPoolDefaults} of its config; pools created later through the
     * API (the tests make some) get the same defaults.
     */
    private void writePool() throws IOException {
        Path cognito = Files.createDirectories(workDir.resolve(".cognito"));
        Path db = Files.createDirectories(cognito.resolve("db"));
        Files.writeString(cognito.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of(
                "UserPoolDefaults", Map.of(
                        "UsernameAttributes", List.of("email"),
                        "AutoVerifiedAttributes", List.of("email")),
                // An issuer that clients reach on localhost, on whatever port the stack runs.
                "TokenConfig", Map.of("IssuerDomain", endpoint()))));
        Path pool = db.resolve(POOL_ID + ".json");
        if (!Files.exists(pool)) {
            Files.writeString(pool, JSON.writeValueAsString(Map.of("Users", Map.of())));
        }
        Path clients = db.resolve("clients.json");
        if (!Files.exists(clients)) {
            String now = "2026-01-01T00:00:00.000Z";
            Map<String, Object> client = new LinkedHashMap<>();
            client.put("ClientId", CLIENT_ID);
            client.put("ClientName", CLIENT_NAME);
            client.put("UserPoolId", POOL_ID);
            client.put("ExplicitAuthFlows", AUTH_FLOWS);
            client.put("TokenValidityUnits", Map.of("AccessToken", "hours", "IdToken", "minutes", "RefreshToken", "days"));
            client.put("CreationDate", now);
            client.put("LastModifiedDate", now);
            Files.writeString(clients, JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Map.of("Clients", Map.of(CLIENT_ID, client))));
        }
    }

    void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    String endpoint() {
        return "http://localhost:" + port;
    }

    String issuer() {
        return endpoint() + "/" + userPoolId;
    }

    /** cognito-local signs every token with this key, shipped in its package (kid CognitoLocal). */
    Path signingKeyFile() {
        return packageDir.resolve("node_modules/cognito-local/lib/keys/cognitoLocal.private.json");
    }

    String userPoolId() {
        return userPoolId;
    }

    String clientId() {
        return clientId;
    }

    /** Creates another app client in the pool (tests use it for tokens of a foreign client). */
    String createClient(String name) throws Exception {
        return findOrCreateClient(userPoolId, name);
    }

    private void installPackage() throws Exception {
        Path installed = packageDir.resolve("node_modules").resolve(".package-lock.json");
        Path lock = packageDir.resolve("package-lock.json");
        if (Files.exists(installed) && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                .directory(packageDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("npm-ci.log").toFile())
                .start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new IOException("npm ci in " + packageDir + " failed; see " + workDir.resolve("npm-ci.log"));
        }
    }

    private void awaitUp() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("cognito-local exited with " + process.exitValue() + "; see "
                        + workDir.resolve("cognito-local.log"));
            }
            try {
                call("ListUserPools", Map.of("MaxResults", 1));
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IOException("cognito-local did not answer on port " + port + " within 30 s");
    }

    private String findOrCreateClient(String poolId, String name) throws Exception {
        for (JsonNode client : call("ListUserPoolClients", Map.of("UserPoolId", poolId, "MaxResults", 60))
                .path("UserPoolClients")) {
            if (name.equals(client.path("ClientName").asText())) {
                return client.path("ClientId").asText();
            }
        }
        return call("CreateUserPoolClient", Map.of("UserPoolId", poolId, "ClientName", name, "ExplicitAuthFlows", AUTH_FLOWS))
                .path("UserPoolClient").path("ClientId").asText();
    }

    private JsonNode call(String action, Map<String, ?> body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSCognitoIdentityProviderService." + action)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(action + " failed with " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
