package app.cruddur.messages.user.signup;

import app.cruddur.messages.aws.AwsJsonCall;
import app.cruddur.messages.table.Caller;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The database credentials in a Secrets Manager secret ({@code username} and {@code password} in
 * its JSON, as RDS writes them), read with one {@code GetSecretValue} ({@link AwsJsonCall}: the SDK's
 * secretsmanager module at the version the Quarkus BOM pins is not available from our Maven
 * repository). The request names its part ({@link Caller#SIGN_UP}) in its user agent.
 */
final class SecretsManagerSecret implements DatabaseCredentials {

    static final String TARGET = "secretsmanager.GetSecretValue";
    /** Cognito waits 5 s for the whole trigger. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(2);

    private final String secretId;
    private final AwsJsonCall secrets;
    private Credentials known;

    SecretsManagerSecret(String secretId, URI endpoint, String region, AwsCredentialsProvider aws) {
        this.secretId = secretId;
        this.secrets = new AwsJsonCall(endpoint, "secretsmanager", region, aws, Caller.SIGN_UP.userAgent(), CONNECT_TIMEOUT,
                SILENCE_TIMEOUT);
    }

    /** Secrets Manager's regional endpoint, e.g. https://secretsmanager.us-east-1.amazonaws.com. */
    static URI endpointOf(String region) {
        return AwsJsonCall.endpointOf("secretsmanager", region);
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
        JsonNode answer;
        try {
            answer = secrets.call(TARGET, body);
        } catch (AwsJsonCall.Refused refused) {
            // The error's type (AccessDeniedException, ResourceNotFoundException, ...), never a value.
            throw new IllegalStateException("Secrets Manager refused GetSecretValue of " + secretId + ": " + refused.type());
        } catch (java.io.UncheckedIOException e) {
            throw new java.io.UncheckedIOException("Secrets Manager could not be reached: " + e.getCause().getMessage(), e.getCause());
        }
        String secretString = AwsJsonCall.text(answer, "SecretString")
                .orElseThrow(() -> new IllegalStateException("The secret " + secretId + " has no SecretString"));
        JsonNode secret = secrets.parse(secretString, "the secret");
        String username = AwsJsonCall.text(secret, "username").orElse("");
        String password = AwsJsonCall.text(secret, "password").orElse("");
        if (username.isEmpty() || password.isEmpty()) {
            throw new IllegalStateException("The secret " + secretId + " has no username and password");
        }
        return new Credentials(username, password);
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
