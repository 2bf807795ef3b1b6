package app.cruddur.messages.user.signup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPostConfirmationEvent;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Cognito's post-confirmation trigger for a deployment with its own user pool and database: a
 * user who confirms their sign-up gets their users row (handle = {@code preferred_username},
 * display_name = {@code name}, email, cognito_user_id = {@code sub}), so the service knows them.
 * Plain Java, no Quarkus: its own jar (target/*-signup-lambda.jar).
 *
 * <ul>
 * <li>{@code PostConfirmation_ConfirmSignUp}: the row is written; a sub that has one already
 * (Cognito delivers again a call that timed out) changes nothing.
 * <li>{@code PostConfirmation_ConfirmForgotPassword}: nothing to write, no database.
 * <li>A handle another user has, or attributes the service cannot use: nothing is written and the
 * trigger fails with a {@link SignUpRefusedException}, whose message Cognito shows to the person
 * signing up. Cognito has confirmed them by then; see docs/operations.md for what follows.
 * </ul>
 *
 * <p>Every invocation logs one line with the sub and the outcome; never an email, a password or a
 * token. The event goes back unchanged, as Cognito expects.
 *
 * <p>Environment: {@code POSTGRES_URL} ({@code postgresql://host:port/db}), {@code POSTGRES_SSL_MODE}
 * (default verify-full), {@code POSTGRES_CA_FILE} (default {@code $LAMBDA_TASK_ROOT/rds-ca.pem}, which
 * a jar built with -Prds-ca carries), {@code DATABASE_SECRET_ARN} (a secret with {@code username} and
 * {@code password}, read once per execution environment and again when the password is refused),
 * {@code AWS_REGION} (set by Lambda), and {@code SECRETS_MANAGER_ENDPOINT} only to point it at a stand-in.
 */
public class SignUpLambdaHandler
        implements RequestHandler<CognitoUserPoolPostConfirmationEvent, CognitoUserPoolPostConfirmationEvent> {

    static final String CONFIRM_SIGN_UP = "PostConfirmation_ConfirmSignUp";
    static final String CONFIRM_FORGOT_PASSWORD = "PostConfirmation_ConfirmForgotPassword";
    /** Where a jar built with -Prds-ca has Amazon RDS's CA bundle once Lambda has unpacked it. */
    static final String PACKAGED_CA_FILE = "rds-ca.pem";

    private final PostgresConnections database;

    /** The constructor Lambda calls, once per execution environment. */
    public SignUpLambdaHandler() {
        this(required("POSTGRES_URL"), env("POSTGRES_SSL_MODE", "verify-full"),
                Path.of(env("POSTGRES_CA_FILE", Path.of(env("LAMBDA_TASK_ROOT", "/var/task"), PACKAGED_CA_FILE).toString())),
                secretFromEnvironment());
    }

    /** A handler with the database's credentials given directly (local runs and tests). */
    public SignUpLambdaHandler(String postgresUrl, String sslMode, Path caFile, String username, String password) {
        this(postgresUrl, sslMode, caFile, DatabaseCredentials.fixed(username, password));
    }

    public SignUpLambdaHandler(String postgresUrl, String sslMode, Path caFile, DatabaseCredentials credentials) {
        this.database = new PostgresConnections(postgresUrl, sslMode, caFile, credentials);
    }

    @Override
    public CognitoUserPoolPostConfirmationEvent handleRequest(CognitoUserPoolPostConfirmationEvent event, Context context) {
        Consumer<String> log = context == null ? System.out::println : line -> context.getLogger().log(line);
        Map<String, String> attributes = event.getRequest() == null || event.getRequest().getUserAttributes() == null
                ? Map.of() : event.getRequest().getUserAttributes();
        String sub = loggable(attributes.get("sub"));
        String source = event.getTriggerSource();
        if (CONFIRM_FORGOT_PASSWORD.equals(source)) {
            log.accept("sign-up sub=" + sub + " outcome=nothing-to-write trigger=" + source);
            return event;
        }
        if (!CONFIRM_SIGN_UP.equals(source)) {
            log.accept("sign-up sub=" + sub + " outcome=wrong-trigger trigger=" + loggable(source));
            throw new IllegalArgumentException("Not a post-confirmation trigger: " + loggable(source));
        }
        NewUser user;
        try {
            user = NewUser.of(attributes);
        } catch (SignUpRefusedException e) {
            log.accept("sign-up sub=" + sub + " outcome=refused reason=\"" + e.getMessage() + "\"");
            throw e;
        }
        UserRows.Outcome outcome;
        try (Connection connection = database.open(log)) {
            outcome = UserRows.register(connection, user);
        } catch (SQLException | RuntimeException e) {
            // The database or its secret: the log says what failed (the driver's messages name no value, with
            // logServerErrorDetail=false), the person signing up sees none of it.
            log.accept("sign-up sub=" + sub + " outcome=failed" + (e instanceof SQLException sql ? " sqlstate=" + sql.getSQLState() : "")
                    + " error=\"" + e.getClass().getSimpleName() + ": " + e.getMessage() + "\"");
            throw new IllegalStateException("Cruddur could not register this account just now. Please contact support.");
        }
        if (outcome == UserRows.Outcome.HANDLE_TAKEN) {
            log.accept("sign-up sub=" + sub + " outcome=handle-taken handle=" + user.handle());
            throw new SignUpRefusedException("The handle " + user.handle() + " already belongs to another Cruddur user. "
                    + "Please contact support to choose another.");
        }
        log.accept("sign-up sub=" + sub + (outcome == UserRows.Outcome.CREATED
                ? " outcome=created handle=" + user.handle() : " outcome=already-registered"));
        return event;
    }

    /** As much of an attribute as a log line may show: visible characters, bounded. */
    private static String loggable(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(NewUser.MAX_SUB_LENGTH).forEach(c -> out.appendCodePoint(NewUser.visible(c) ? c : '?'));
        return out.toString();
    }

    private static DatabaseCredentials secretFromEnvironment() {
        String region = env("AWS_REGION", "us-east-1");
        String endpoint = env("SECRETS_MANAGER_ENDPOINT", "");
        return new SecretsManagerSecret(required("DATABASE_SECRET_ARN"),
                endpoint.isEmpty() ? SecretsManagerSecret.endpointOf(region) : URI.create(endpoint), region,
                DefaultCredentialsProvider.builder().build());
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
