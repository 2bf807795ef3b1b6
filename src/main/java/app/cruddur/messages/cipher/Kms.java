package app.cruddur.messages.cipher;

import app.cruddur.messages.table.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * KMS' {@code Encrypt} and {@code Decrypt}, each one SigV4-signed JSON call over the SDK's aws-crt
 * HTTP client (the SDK's kms module at the version the Quarkus BOM pins is not in our Maven
 * repository; the signer, the credential chain and the JSON parser are the SDK's). Only the wrapping
 * key goes through it, at start and in the key tools: never a message or a conversation's key.
 * Blocking; bounded by its timeouts.
 */
public final class Kms implements AutoCloseable {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(5);

    /** KMS refused a call: its error type (AccessDeniedException, NotFoundException, ...) and message. */
    public static final class KmsException extends IllegalStateException {
        private final String type;

        KmsException(String type, String message) {
            super(message);
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;

    Kms(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.http = AwsCrtHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .connectionHealthConfiguration(health -> health.minimumThroughputInBps(1L).minimumThroughputTimeout(SILENCE_TIMEOUT))
                .build();
    }

    /**
     * KMS in {@code region}, through {@code endpoint} when given: the local stack's, which takes any
     * signature (its requests are signed with the local stack's placeholder credentials); else the
     * region's, signed with the default credential chain (the task role, the Lambda's role).
     */
    public static Kms of(Optional<URI> endpoint, String region) {
        return endpoint.map(uri -> new Kms(uri, region, StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))))
                .orElseGet(() -> new Kms(URI.create("https://kms." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix()),
                        region, DefaultCredentialsProvider.builder().build()));
    }

    /** What {@link #encrypt} answers: the ciphertext blob and the ARN of the key that made it. */
    public record Encrypted(byte[] blob, String keyArn) {
    }

    public Encrypted encrypt(String keyId, byte[] plaintext, Map<String, String> context) {
        JsonWriter body = JsonWriter.create();
        body.writeStartObject();
        body.writeFieldName("KeyId");
        body.writeValue(keyId);
        body.writeFieldName("Plaintext");
        body.writeValue(Base64.getEncoder().encodeToString(plaintext));
        writeContext(body, context);
        body.writeEndObject();
        JsonNode answer = call("TrentService.Encrypt", body.getBytes());
        return new Encrypted(Base64.getDecoder().decode(field(answer, "CiphertextBlob")), field(answer, "KeyId"));
    }

    /** The plaintext of a blob, which must have been made by {@code keyId} with the same context. */
    public byte[] decrypt(String keyId, byte[] blob, Map<String, String> context) {
        JsonWriter body = JsonWriter.create();
        body.writeStartObject();
        body.writeFieldName("KeyId");
        body.writeValue(keyId);
        body.writeFieldName("CiphertextBlob");
        body.writeValue(Base64.getEncoder().encodeToString(blob));
        writeContext(body, context);
        body.writeEndObject();
        return Base64.getDecoder().decode(field(call("TrentService.Decrypt", body.getBytes()), "Plaintext"));
    }

    private static void writeContext(JsonWriter body, Map<String, String> context) {
        body.writeFieldName("EncryptionContext");
        body.writeStartObject();
        for (Map.Entry<String, String> entry : new TreeMap<>(context).entrySet()) {
            body.writeFieldName(entry.getKey());
            body.writeValue(entry.getValue());
        }
        body.writeEndObject();
    }

    private JsonNode call(String target, byte[] body) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("X-Amz-Target", target)
                .putHeader("User-Agent", Caller.SERVICE.userAgent())
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        int status;
        String answer;
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
            status = response.httpResponse().statusCode();
            try (InputStream in = response.responseBody().orElseThrow(() -> new IOException("no body"))) {
                answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("KMS at " + endpoint + " could not be reached: " + e.getMessage(), e);
        }
        JsonNode json = parse(answer);
        if (status != 200) {
            String type = text(json, "__type").orElse("HTTP " + status);
            // A type may come as "namespace#Type".
            type = type.substring(type.indexOf('#') + 1);
            throw new KmsException(type, "KMS refused " + target.substring(target.indexOf('.') + 1) + ": " + type
                    + text(json, "message").or(() -> text(json, "Message")).map(message -> " (" + message + ")").orElse(""));
        }
        return json;
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = JsonNode.parser().parse(json);
            if (node.isObject()) {
                return node;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new IllegalStateException("KMS answered something that is not a JSON object");
    }

    private static String field(JsonNode object, String name) {
        return text(object, name).orElseThrow(() -> new IllegalStateException("KMS' answer has no " + name));
    }

    private static Optional<String> text(JsonNode object, String name) {
        return object.field(name).filter(JsonNode::isString).map(JsonNode::asString);
    }

    @Override
    public void close() {
        http.close();
    }
}
