package app.cruddur.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's KMS endpoint answers Encrypt and Decrypt as KMS does: the encryption context binds,
 * another key or an unknown one is refused with KMS' error types, and the key made at the first
 * start is the one a restart uses.
 */
class KmsLocalServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void encryptsAndDecryptsUnderItsKeyAndContextAcrossRestarts(@TempDir Path dir) throws Exception {
        KmsLocalServer server = new KmsLocalServer(Ports.claim(0, "KMS"), dir.resolve("kms"));
        server.start();
        String blob;
        String arn = server.keyArn();
        try {
            JsonNode encrypted = call(server, "TrentService.Encrypt", Map.of("KeyId", KmsLocalServer.alias(),
                    "Plaintext", base64("a keyset"), "EncryptionContext", Map.of("purpose", "test")));
            assertEquals(arn, encrypted.path("KeyId").asText());
            blob = encrypted.path("CiphertextBlob").asText();

            JsonNode decrypted = call(server, "TrentService.Decrypt", Map.of("KeyId", arn, "CiphertextBlob", blob,
                    "EncryptionContext", Map.of("purpose", "test")));
            assertEquals("a keyset", new String(Base64.getDecoder().decode(decrypted.path("Plaintext").asText()), StandardCharsets.UTF_8));

            assertEquals("InvalidCiphertextException", call(server, "TrentService.Decrypt", Map.of("CiphertextBlob", blob,
                    "EncryptionContext", Map.of("purpose", "another"))).path("__type").asText());
            assertEquals("NotFoundException", call(server, "TrentService.Decrypt", Map.of("KeyId", "alias/other",
                    "CiphertextBlob", blob)).path("__type").asText());
            assertEquals("NotFoundException", call(server, "TrentService.Encrypt", Map.of("KeyId", "alias/other",
                    "Plaintext", base64("x"))).path("__type").asText());
            HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(server.endpoint()))
                    .header("X-Amz-Target", "TrentService.Encrypt")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, unsigned.statusCode());
            assertTrue(unsigned.body().contains("MissingAuthenticationTokenException"), unsigned.body());
        } finally {
            server.stop();
        }
        assertTrue(Files.exists(dir.resolve("kms").resolve("key.json")), "the key is kept under the stack's directory");

        KmsLocalServer restarted = new KmsLocalServer(Ports.claim(0, "KMS"), dir.resolve("kms"));
        restarted.start();
        try {
            assertEquals(arn, restarted.keyArn());
            JsonNode decrypted = call(restarted, "TrentService.Decrypt", Map.of("CiphertextBlob", blob,
                    "EncryptionContext", Map.of("purpose", "test")));
            assertEquals(base64("a keyset"), decrypted.path("Plaintext").asText());
        } finally {
            restarted.stop();
        }
    }

    private JsonNode call(KmsLocalServer server, String target, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.endpoint()))
                .header("X-Amz-Target", target)
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=local/20261206/us-east-1/kms/aws4_request")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
