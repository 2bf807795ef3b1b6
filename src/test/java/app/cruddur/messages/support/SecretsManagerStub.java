package app.cruddur.messages.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Secrets Manager's {@code GetSecretValue} as the sign-up trigger calls it (AWS JSON 1.1, SigV4),
 * on a loopback port: there is no local Secrets Manager. It answers a secret's current value as
 * RDS stores one ({@code {"username": ..., "password": ...}} in {@code SecretString}), refuses an
 * unknown or denied secret with AWS's error types, counts the reads of each secret, and records
 * each request it receives with {@link AwsCallRecorder#received}. It checks the request's shape
 * (target, content type, a SigV4 Authorization for secretsmanager), not its signature.
 */
public final class SecretsManagerStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Secret(String username, String password) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

    private SecretsManagerStub(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    public static SecretsManagerStub start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "secrets-manager-stub");
            thread.setDaemon(true);
            return thread;
        });
        SecretsManagerStub stub = new SecretsManagerStub(server, threads);
        server.createContext("/", stub::handle);
        server.setExecutor(threads);
        server.start();
        return stub;
    }

    /** The value of SECRETS_MANAGER_ENDPOINT. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An ARN of a secret in the tests' account and region, unique in the run. */
    public static String newSecretArn(String name) {
        return "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Sets the secret's current value, as rotation does. */
    public void put(String secretArn, String username, String password) {
        secrets.put(secretArn, new Secret(username, password));
    }

    /** Refuses every read of the secret (AccessDeniedException), as for a role without the grant. */
    public void deny(String secretArn) {
        denied.add(secretArn);
    }

    /** How many times the secret was read. */
    public int reads(String secretArn) {
        return reads.getOrDefault(secretArn, new AtomicInteger()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = exchange.getRequestHeaders();
            String target = headers.getFirst("X-Amz-Target");
            String authorization = headers.getFirst("Authorization");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!exchange.getRequestMethod().equals("POST") || !"/".equals(exchange.getRequestURI().getPath())
                    || !"application/x-amz-json-1.1".equals(headers.getFirst("Content-Type"))) {
                reply(exchange, 404, error("UnknownOperationException", "not an AWS JSON 1.1 request"));
                return;
            }
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=")
                    || !authorization.contains("/us-east-1/secretsmanager/aws4_request") || headers.getFirst("X-Amz-Date") == null) {
                reply(exchange, 403, error("IncompleteSignatureException", "no SigV4 signature for secretsmanager"));
                return;
            }
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                reply(exchange, 400, error("UnknownOperationException", "only GetSecretValue"));
                return;
            }
            AwsCallRecorder.received(target, headers.getFirst("User-Agent"));
            String secretId = JSON.readTree(body).path("SecretId").asText();
            reads.computeIfAbsent(secretId, id -> new AtomicInteger()).incrementAndGet();
            Secret secret = secrets.get(secretId);
            if (denied.contains(secretId)) {
                reply(exchange, 400, error("AccessDeniedException", "not authorized to perform: secretsmanager:GetSecretValue"));
            } else if (secret == null) {
                reply(exchange, 400, error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
            } else {
                ObjectNode value = JSON.createObjectNode().put("engine", "postgres").put("username", secret.username())
                        .put("password", secret.password());
                ObjectNode answer = JSON.createObjectNode().put("ARN", secretId).put("Name", secretId.substring(secretId.lastIndexOf(':') + 1))
                        .put("SecretString", value.toString()).put("VersionId", UUID.randomUUID().toString())
                        .put("CreatedDate", System.currentTimeMillis() / 1000.0);
                answer.putArray("VersionStages").add("AWSCURRENT");
                reply(exchange, 200, answer);
            }
        }
    }

    private static JsonNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
