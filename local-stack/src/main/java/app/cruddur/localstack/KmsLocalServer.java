package app.cruddur.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * A KMS-compatible endpoint for the local stack: one symmetric key, generated at the first start
 * and kept under the stack's directory (never committed), that answers KMS' JSON protocol for
 * {@code TrentService.Encrypt} and {@code TrentService.Decrypt} as AWS does: the same request and
 * answer fields, the encryption context bound as associated data, the same error types
 * ({@code NotFoundException}, {@code IncorrectKeyException}, {@code InvalidCiphertextException}).
 * Requests must carry a SigV4 {@code Authorization} header, whose signature it does not check
 * (as DynamoDB Local does not). The ciphertext is Tink's AES-256-GCM, prefixed by the key id.
 */
final class KmsLocalServer {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEY_ID_LENGTH = 36;

    private final int port;
    private final Path dir;
    private HttpServer server;
    private String keyId;
    private Aead key;

    KmsLocalServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    synchronized void start() throws IOException, GeneralSecurityException {
        if (server != null) {
            return;
        }
        loadOrCreateKey();
        HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 50);
        created.createContext("/", this::handle);
        created.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "kms-local");
            thread.setDaemon(true);
            return thread;
        }));
        created.start();
        server = created;
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    String endpoint() {
        return "http://localhost:" + port;
    }

    /** The key's ARN, as KMS names a key. */
    String keyArn() {
        return "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId;
    }

    private void loadOrCreateKey() throws IOException, GeneralSecurityException {
        AeadConfig.register();
        Files.createDirectories(dir);
        Path idFile = dir.resolve("key-id");
        Path keysetFile = dir.resolve("key.json");
        if (!Files.exists(keysetFile) || !Files.exists(idFile)) {
            KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            Path written = Files.writeString(dir.resolve("key.json.new"),
                    TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()));
            restrict(written);
            Files.writeString(idFile, UUID.randomUUID().toString());
            Files.move(written, keysetFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        keyId = Files.readString(idFile).trim();
        KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(keysetFile), InsecureSecretKeyAccess.get());
        key = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: the directory's own permissions apply.
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod()) || target == null) {
                answer(exchange, 400, error("UnknownOperationException", "POST with X-Amz-Target expected"));
                return;
            }
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
                answer(exchange, 400, error("MissingAuthenticationTokenException", "Request is missing a SigV4 signature"));
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (IOException e) {
                answer(exchange, 400, error("SerializationException", "The body is not JSON"));
                return;
            }
            switch (target) {
                case "TrentService.Encrypt" -> encrypt(exchange, request);
                case "TrentService.Decrypt" -> decrypt(exchange, request);
                default -> answer(exchange, 400, error("UnknownOperationException", target));
            }
        }
    }

    private void encrypt(HttpExchange exchange, JsonNode request) throws IOException {
        if (!names(request.path("KeyId").asText(""))) {
            answer(exchange, 400, error("NotFoundException", "Key '" + request.path("KeyId").asText("") + "' does not exist"));
            return;
        }
        byte[] plaintext = Base64.getDecoder().decode(request.path("Plaintext").asText(""));
        if (plaintext.length == 0 || plaintext.length > 4096) {
            answer(exchange, 400, error("ValidationException", "Plaintext must be 1 to 4096 bytes"));
            return;
        }
        try {
            byte[] sealed = key.encrypt(plaintext, context(request));
            byte[] blob = new byte[KEY_ID_LENGTH + sealed.length];
            System.arraycopy(keyId.getBytes(StandardCharsets.US_ASCII), 0, blob, 0, KEY_ID_LENGTH);
            System.arraycopy(sealed, 0, blob, KEY_ID_LENGTH, sealed.length);
            ObjectNode out = JSON.createObjectNode();
            out.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob));
            out.put("KeyId", keyArn());
            out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            answer(exchange, 200, out);
        } catch (GeneralSecurityException e) {
            answer(exchange, 500, error("KMSInternalException", e.getMessage()));
        }
    }

    private void decrypt(HttpExchange exchange, JsonNode request) throws IOException {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(request.path("CiphertextBlob").asText(""));
        } catch (IllegalArgumentException e) {
            blob = new byte[0];
        }
        if (blob.length <= KEY_ID_LENGTH) {
            answer(exchange, 400, error("InvalidCiphertextException", null));
            return;
        }
        String blobKey = new String(blob, 0, KEY_ID_LENGTH, StandardCharsets.US_ASCII);
        String asked = request.path("KeyId").asText("");
        if (!asked.isEmpty() && !names(asked)) {
            answer(exchange, 400, error("NotFoundException", "Key '" + asked + "' does not exist"));
            return;
        }
        if (!blobKey.equals(keyId)) {
            answer(exchange, 400, error("IncorrectKeyException", "The ciphertext was encrypted under another key"));
            return;
        }
        try {
            byte[] plaintext = key.decrypt(java.util.Arrays.copyOfRange(blob, KEY_ID_LENGTH, blob.length), context(request));
            ObjectNode out = JSON.createObjectNode();
            out.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
            out.put("KeyId", keyArn());
            out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
            answer(exchange, 200, out);
        } catch (GeneralSecurityException e) {
            answer(exchange, 400, error("InvalidCiphertextException", null));
        }
    }

    /** Whether a KeyId of a request names this key: its id, its ARN or the alias of the stack. */
    private boolean names(String asked) {
        return asked.equals(keyId) || asked.equals(keyArn()) || asked.equals(alias())
                || asked.equals("arn:aws:kms:" + REGION + ":" + ACCOUNT + ":" + alias());
    }

    static String alias() {
        return "alias/cruddur-messages-local";
    }

    /** The encryption context in a canonical form (sorted by name), bound as associated data. */
    private static byte[] context(JsonNode request) {
        Map<String, String> sorted = new TreeMap<>();
        JsonNode context = request.path("EncryptionContext");
        for (Iterator<Map.Entry<String, JsonNode>> fields = context.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            sorted.put(field.getKey(), field.getValue().asText());
        }
        try {
            return JSON.writeValueAsBytes(sorted);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode out = JSON.createObjectNode();
        out.put("__type", type);
        if (message != null) {
            out.put("message", message);
        }
        return out;
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
