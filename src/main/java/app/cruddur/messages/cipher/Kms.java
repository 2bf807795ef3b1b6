package app.cruddur.messages.cipher;

import app.cruddur.messages.aws.AwsJsonCall;
import app.cruddur.messages.table.Caller;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * KMS' {@code Encrypt} and {@code Decrypt}, each one {@link AwsJsonCall}. Only the wrapping key goes
 * through it, at start and in the key tools: never a message or a conversation's key.
 */
public final class Kms implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(5);

    /** KMS refused a call: its error type (AccessDeniedException, NotFoundException, ...) and message. */
    public static final class KmsException extends IllegalStateException {
        private final String type;

        KmsException(AwsJsonCall.Refused refused) {
            super(refused.getMessage(), refused);
            this.type = refused.type();
        }

        public String type() {
            return type;
        }
    }

    private final AwsJsonCall kms;

    private Kms(AwsJsonCall kms) {
        this.kms = kms;
    }

    /**
     * KMS in {@code region}, through {@code endpoint} when given: the local stack's, which takes any
     * signature (its requests are signed with the local stack's placeholder credentials); else the
     * region's, signed with the default credential chain (the task role, the Lambda's role).
     */
    public static Kms of(Optional<URI> endpoint, String region) {
        return new Kms(endpoint
                .map(uri -> new AwsJsonCall(uri, "kms", region, StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")),
                        Caller.SERVICE.userAgent(), CONNECT_TIMEOUT, SILENCE_TIMEOUT))
                .orElseGet(() -> new AwsJsonCall(AwsJsonCall.endpointOf("kms", region), "kms", region,
                        DefaultCredentialsProvider.builder().build(), Caller.SERVICE.userAgent(), CONNECT_TIMEOUT, SILENCE_TIMEOUT)));
    }

    /** What {@link #encrypt} answers: the ciphertext blob and the ARN of the key that made it. */
    public record Encrypted(byte[] blob, String keyArn) {
    }

    public Encrypted encrypt(String keyId, byte[] plaintext, Map<String, String> context) {
        JsonNode answer = call("TrentService.Encrypt", keyId, "Plaintext", plaintext, context);
        return new Encrypted(Base64.getDecoder().decode(field(answer, "CiphertextBlob")), field(answer, "KeyId"));
    }

    /** The plaintext of a blob, which must have been made by {@code keyId} with the same context. */
    public byte[] decrypt(String keyId, byte[] blob, Map<String, String> context) {
        return Base64.getDecoder().decode(field(call("TrentService.Decrypt", keyId, "CiphertextBlob", blob, context), "Plaintext"));
    }

    private JsonNode call(String target, String keyId, String field, byte[] value, Map<String, String> context) {
        JsonWriter body = JsonWriter.create();
        body.writeStartObject();
        body.writeFieldName("KeyId");
        body.writeValue(keyId);
        body.writeFieldName(field);
        body.writeValue(Base64.getEncoder().encodeToString(value));
        body.writeFieldName("EncryptionContext");
        body.writeStartObject();
        for (Map.Entry<String, String> entry : new TreeMap<>(context).entrySet()) {
            body.writeFieldName(entry.getKey());
            body.writeValue(entry.getValue());
        }
        body.writeEndObject();
        body.writeEndObject();
        try {
            return kms.call(target, body.getBytes());
        } catch (AwsJsonCall.Refused refused) {
            throw new KmsException(refused);
        }
    }

    private static String field(JsonNode object, String name) {
        return AwsJsonCall.text(object, name).orElseThrow(() -> new IllegalStateException("KMS' answer has no " + name));
    }

    @Override
    public void close() {
        kms.close();
    }
}
