package app.cruddur.messages.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * One call of an AWS JSON-protocol API ({@code X-Amz-Target}, {@code application/x-amz-json-1.1}),
 * SigV4-signed, over the SDK's aws-crt HTTP client: for the services whose SDK module, at the version
 * the Quarkus BOM pins, is not in our Maven repository (Secrets Manager, KMS). The signer, the
 * credential chain and the JSON parser are the SDK's. Blocking, bounded by its timeouts. A refusal is
 * a {@link Refused} with AWS' error type and message; a value of the answer is never repeated in one.
 */
public final class AwsJsonCall implements AutoCloseable {

    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    /** AWS refused the call: its error type (AccessDeniedException, NotFoundException, ...) and message. */
    public static final class Refused extends IllegalStateException {
        private final String type;

        Refused(String type, String message) {
            super(message);
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    private final URI endpoint;
    private final String service;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final String userAgent;
    private final SdkHttpClient http;

    /**
     * @param service the signing name, and the endpoint's first label ({@code kms}, {@code secretsmanager})
     * @param silence how long the endpoint may send nothing before the call fails
     */
    public AwsJsonCall(URI endpoint, String service, String region, AwsCredentialsProvider credentials, String userAgent,
                       Duration connect, Duration silence) {
        this.endpoint = endpoint;
        this.service = service;
        this.region = region;
        this.credentials = credentials;
        this.userAgent = userAgent;
        this.http = AwsCrtHttpClient.builder()
                .connectionTimeout(connect)
                // An endpoint that stops sending fails the read instead of holding the caller.
                .connectionHealthConfiguration(health -> health.minimumThroughputInBps(1L).minimumThroughputTimeout(silence))
                .build();
    }

    /** A service's regional endpoint, e.g. https://kms.us-east-1.amazonaws.com. */
    public static URI endpointOf(String service, String region) {
        return URI.create("https://" + service + "." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix());
    }

    /** Sends {@code body} to {@code target} ({@code TrentService.Decrypt}, ...); the answer's JSON object, or {@link Refused}. */
    public JsonNode call(String target, byte[] body) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("X-Amz-Target", target)
                .putHeader("User-Agent", userAgent)
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(credentials.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
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
            throw new UncheckedIOException(service + " at " + endpoint + " could not be reached: " + e.getMessage(), e);
        }
        JsonNode json = parse(answer, status == 200 ? "its answer" : "an error");
        if (status != 200) {
            String type = text(json, "__type").orElse("HTTP " + status);
            // A type may come as "namespace#Type".
            type = type.substring(type.indexOf('#') + 1);
            String operation = target.substring(target.indexOf('.') + 1);
            throw new Refused(type, service + " refused " + operation + ": " + type
                    + text(json, "message").or(() -> text(json, "Message")).map(message -> " (" + message + ")").orElse(""));
        }
        return json;
    }

    /** {@code json} parsed as an object; never repeats the text, which may hold a secret. */
    public JsonNode parse(String json, String what) {
        try {
            JsonNode node = JsonNode.parser().parse(json);
            if (node.isObject()) {
                return node;
            }
        } catch (RuntimeException e) {
            // reported below, without the text
        }
        throw new IllegalStateException(service + "'s " + what + " is not a JSON object");
    }

    /** A string field of an object, if it has one. */
    public static Optional<String> text(JsonNode object, String name) {
        return object.field(name).filter(JsonNode::isString).map(JsonNode::asString);
    }

    @Override
    public void close() {
        http.close();
    }
}
