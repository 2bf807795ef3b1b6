package app.cruddur.messages.user.cognito;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * The few Cognito user-pool calls the operator tools and the local stack need (ListUsers,
 * AdminCreateUser, AdminSetUserPassword, InitiateAuth), over Cognito's JSON API with a SigV4
 * signature. The service itself never calls Cognito: it only verifies tokens.
 *
 * <p>The AWS SDK's Cognito module is not used because the version the Quarkus BOM pins is not
 * available from Maven Central here; the SDK's own signer is. cognito-local accepts (and ignores)
 * the signature, so the local stack and AWS take the same path.
 */
public final class CognitoUserPool {

    /** Cognito's page size limit for ListUsers. */
    static final int PAGE = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers java.net.http sets itself and refuses to be given. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    /** One client for the JVM: pools are made per call (tests sign in for every token), clients are not cheap. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String region;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String poolId;

    public CognitoUserPool(URI endpoint, String region, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
                           String poolId) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.poolId = poolId;
    }

    /** A pool of the local stack's cognito-local, which wants a signature but does not check it. */
    public static CognitoUserPool local(URI endpoint, String poolId) {
        return new CognitoUserPool(endpoint, "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")), poolId);
    }

    /** Cognito's public endpoint for a region. */
    public static URI awsEndpoint(String region) {
        return URI.create("https://cognito-idp." + region + ".amazonaws.com/");
    }

    public String poolId() {
        return poolId;
    }

    /** A user of the pool, with the attributes this project reads. */
    public record PoolUser(String username, String sub, Optional<String> preferredUsername, Optional<String> email,
                           String status, boolean enabled) {

        /**
         * The name the user signs in with: in a pool that signs in by email (Cruddur's), Cognito's
         * user name is the sub and the email is what people type; otherwise the user name.
         */
        public String signInName() {
            return username.equals(sub) && email.isPresent() ? email.get() : username;
        }

        static PoolUser of(JsonNode user) {
            Map<String, String> attributes = new LinkedHashMap<>();
            // ListUsers names them Attributes, AdminGetUser UserAttributes.
            JsonNode listed = user.has("Attributes") ? user.path("Attributes") : user.path("UserAttributes");
            for (JsonNode attribute : listed) {
                attributes.put(attribute.path("Name").asText(), attribute.path("Value").asText());
            }
            return new PoolUser(user.path("Username").asText(), attributes.getOrDefault("sub", ""),
                    Optional.ofNullable(attributes.get("preferred_username")), Optional.ofNullable(attributes.get("email")),
                    user.path("UserStatus").asText(), user.path("Enabled").asBoolean(true));
        }
    }

    /** Every user of the pool, all pages. */
    public List<PoolUser> listUsers() {
        List<PoolUser> users = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("UserPoolId", poolId);
            request.put("Limit", PAGE);
            if (token != null) {
                request.put("PaginationToken", token);
            }
            JsonNode page = call("ListUsers", request);
            page.path("Users").forEach(user -> users.add(PoolUser.of(user)));
            token = page.hasNonNull("PaginationToken") ? page.get("PaginationToken").asText() : null;
        } while (token != null);
        return users;
    }

    /** The user with this user name, if the pool has one. */
    public Optional<PoolUser> findUser(String username) {
        try {
            return Optional.of(PoolUser.of(call("AdminGetUser", Map.of("UserPoolId", poolId, "Username", username))));
        } catch (CognitoException e) {
            if (e.type().equals("UserNotFoundException")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Creates a confirmed user with a permanent password and no invitation message, unless the pool
     * already has that user name; returns the user either way.
     */
    public PoolUser ensureUser(String username, Map<String, String> attributes, String password) {
        Optional<PoolUser> existing = findUser(username);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<Map<String, String>> userAttributes = new ArrayList<>();
        attributes.forEach((name, value) -> userAttributes.add(Map.of("Name", name, "Value", value)));
        call("AdminCreateUser", Map.of("UserPoolId", poolId, "Username", username, "MessageAction", "SUPPRESS",
                "UserAttributes", userAttributes));
        call("AdminSetUserPassword", Map.of("UserPoolId", poolId, "Username", username, "Password", password,
                "Permanent", true));
        return findUser(username).orElseThrow(() -> new CognitoException("AdminGetUser", "UserNotFoundException", username + " was just created"));
    }

    /** Signs a user in with USER_PASSWORD_AUTH and returns the AuthenticationResult. */
    public JsonNode signIn(String clientId, String username, String password) {
        return call("InitiateAuth", Map.of("ClientId", clientId, "AuthFlow", "USER_PASSWORD_AUTH",
                "AuthParameters", Map.of("USERNAME", username, "PASSWORD", password))).path("AuthenticationResult");
    }

    private JsonNode call(String action, Map<String, ?> body) {
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AWSCognitoIdentityProviderService." + action)
                .build();
        SignedRequest signed;
        try {
            AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
            signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity)
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "cognito-idp")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        } catch (RuntimeException e) {
            throw new CognitoException(action, "NoCredentials", "no AWS credentials to sign with: " + rootMessage(e));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        signed.request().forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CognitoUnreachableException(endpoint + " does not answer (" + rootMessage(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CognitoUnreachableException("interrupted while calling " + endpoint);
        }
        JsonNode answer;
        try {
            answer = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CognitoException(action, "HTTP " + response.statusCode(), "the answer is not JSON");
        }
        if (response.statusCode() != 200) {
            String type = answer.path("__type").asText("HTTP " + response.statusCode());
            String message = answer.has("message") ? answer.path("message").asText() : answer.path("Message").asText("");
            throw new CognitoException(action, type.substring(type.lastIndexOf('#') + 1), message);
        }
        return answer;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
    }

    /** Cognito refused a call, or it could not be signed. */
    public static class CognitoException extends RuntimeException {
        private final String type;

        CognitoException(String action, String type, String message) {
            super(action + ": " + type + (message.isEmpty() ? "" : ": " + message), null, false, false);
            this.type = type;
        }

        /** Cognito's error type, such as UserNotFoundException. */
        public String type() {
            return type;
        }
    }

    /** Cognito did not answer. */
    public static final class CognitoUnreachableException extends CognitoException {
        CognitoUnreachableException(String message) {
            super("Cognito", "unreachable", message);
        }
    }
}
