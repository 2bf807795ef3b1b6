package app.cruddur.messages.user.signup;

import app.cruddur.messages.table.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * The database credentials in a Secrets Manager secret ({@code username} and {@code password} in
 * its JSON, as RDS writes them), read with one SigV4-signed {@code GetSecretValue} over the SDK's
 * aws-crt HTTP client. The SDK's secretsmanager module at the version the Quarkus BOM pins is not
 * available from our Maven repository, so the one call is made from the SDK's signer, credential
 * chain and JSON parser, as tools/' CognitoUserPool does for Cognito. The request names its part
 * ({@link Caller#SIGN_UP}) in its user agent.
 */
final class SecretsManagerSecret implements DatabaseCredentials {

    static final String TARGET = "secretsmanager.GetSecretValue";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    /** Cognito waits 5 s for the whole trigger. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(2);

    private final String secretId;
    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider aws;
    private final SdkHttpClient http;
    private Credentials known;

    SecretsManagerSecret(String secretId, URI endpoint, String region, AwsCredentialsProvider aws) {
        this.secretId = secretId;
        this.endpoint = endpoint;
        this.region = region;
        this.aws = aws;
        this.http = AwsCrtHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                // An endpoint that stops sending fails the read instead of holding it to the Lambda's timeout.
                .connectionHealthConfiguration(health -> health.minimumThroughputInBps(1L).minimumThroughputTimeout(SILENCE_TIMEOUT))
                .build();
    }

    /** Secrets Manager's regional endpoint, e.g. https://secretsmanager.us-east-1.amazonaws.com. */
    static URI endpointOf(String region) {
        return URI.create("https://secretsmanager." + region + "." + PartitionMetadata.of(Region.of(region)).dnsSuffix());
    }

    @Override
    public synchronized Credentials current() {
        if (known == null) {
            known = read();
        }
        return known;
    }

    @Override
    public synchronized Credentials reread() {
        known = read();
        return known;
    }

    private Credentials read() {
        byte[] body = ("{\"SecretId\":\"" + jsonEscaped(secretId) + "\"}").getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("Content-Length", Integer.toString(body.length))
                .putHeader("X-Amz-Target", TARGET)
                .putHeader("User-Agent", Caller.SIGN_UP.userAgent())
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
                .identity(aws.resolveCredentials())
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        String answer;
        int status;
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
            throw new UncheckedIOException("Secrets Manager could not be reached: " + e.getMessage(), e);
        }
        if (status != 200) {
            // The error's type (AccessDeniedException, ResourceNotFoundException, ...), never a value.
            String type = field(parse(answer, "an error"), "__type").orElse("HTTP " + status);
            throw new IllegalStateException("Secrets Manager refused GetSecretValue of " + secretId + ": " + type);
        }
        String secretString = field(parse(answer, "its answer"), "SecretString")
                .orElseThrow(() -> new IllegalStateException("The secret " + secretId + " has no SecretString"));
        JsonNode secret = parse(secretString, "the secret");
        String username = field(secret, "username").orElse("");
        String password = field(secret, "password").orElse("");
        if (username.isEmpty() || password.isEmpty()) {
            throw new IllegalStateException("The secret " + secretId + " has no username and password");
        }
        return new Credentials(username, password);
    }

    private static JsonNode parse(String json, String what) {
        try {
            JsonNode node = JsonNode.parser().parse(json);
            if (node.isObject()) {
                return node;
            }
        } catch (RuntimeException e) {
            // The text itself may hold the password: it is never repeated.
        }
        throw new IllegalStateException("Secrets Manager's " + what + " is not a JSON object");
    }

    private static java.util.Optional<String> field(JsonNode object, String name) {
        return object.field(name).filter(JsonNode::isString).map(JsonNode::asString);
    }

    private static String jsonEscaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
