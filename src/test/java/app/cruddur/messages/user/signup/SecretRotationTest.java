package app.cruddur.messages.user.signup;

import static app.cruddur.messages.user.signup.PostConfirmationEvents.attributes;
import static app.cruddur.messages.user.signup.PostConfirmationEvents.signUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.postgres.ApplicationLogin;
import app.cruddur.messages.support.AwsCallRecorder;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.MasterDatabase;
import app.cruddur.messages.support.RecordingContext;
import app.cruddur.messages.support.SecretsManagerStub;
import app.cruddur.messages.support.LocalPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The database credentials from a Secrets Manager secret, read by the trigger's own signed call
 * from a stand-in of Secrets Manager's endpoint (support/SecretsManagerStub), against the trigger's
 * login as the init run makes it, on a database set up as RDS sets one up (support/MasterDatabase:
 * passwords are checked): read once per execution environment, and again when a rotation changed
 * the password (single user) or the user (alternating users: the rotation's {@code <login>_clone}).
 */
class SecretRotationTest {

    private static LocalStackProcess stack;
    private static MasterDatabase database;
    private static SecretsManagerStub secrets;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStackTestResource.started();
        database = MasterDatabase.create(stack, "signup");
        database.migrate();
        secrets = SecretsManagerStub.start();
    }

    @AfterAll
    static void stop() {
        if (secrets != null) {
            secrets.close();
        }
    }

    @Test
    void theSecretIsReadOnceAndAgainOnlyWhenARotationChangedThePasswordOrTheUser() throws Exception {
        String first = login("rot");
        String second = first + "_clone";
        database.ensure(ApplicationLogin.SIGNUP.credentials(first, "password-1"));
        database.rotate(first, "password-b1");
        String arn = SecretsManagerStub.newSecretArn("cruddur-db");
        secrets.put(arn, first, "password-1");
        SignUpLambdaHandler trigger = trigger(arn);

        assertCreated(trigger);
        assertCreated(trigger);
        assertEquals(1, secrets.reads(arn), "read once for the execution environment");

        // Single-user rotation: the user's password changes in the database and in the secret.
        database.setPassword(first, "password-2");
        secrets.put(arn, first, "password-2");
        List<String> log = assertCreated(trigger);
        assertEquals(2, secrets.reads(arn));
        assertEquals("database refused the credentials of " + first + " (28P01); read them again: now " + first, log.get(0));

        // Alternating users: the secret names the other user, and the first one's password changes next.
        secrets.put(arn, second, "password-b1");
        database.setPassword(first, "password-3");
        log = assertCreated(trigger);
        assertEquals(3, secrets.reads(arn));
        assertTrue(log.get(0).endsWith("read them again: now " + second), log.toString());
        assertCreated(trigger);
        assertEquals(3, secrets.reads(arn), "kept again");

        // A password the secret does not have yet: read once more, then a clean failure.
        database.setPassword(second, "password-b2");
        RecordingContext context = new RecordingContext();
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> trigger.handleRequest(newUser(), context));
        assertEquals("Cruddur could not register this account just now. Please contact support.", failed.getMessage());
        assertEquals(4, secrets.reads(arn));
        assertTrue(context.events().get(0).contains("outcome=failed sqlstate=28P01"), context.events().toString());
        context.events().forEach(line -> assertFalse(line.contains("password-b"), "a password in the log: " + line));
    }

    @Test
    void aSecretThatCannotBeReadFailsTheConfirmationAndTheLogSaysWhy() {
        String denied = SecretsManagerStub.newSecretArn("denied");
        secrets.deny(denied);
        assertFailsWith(trigger(denied), "AccessDeniedException");
        assertFailsWith(trigger(SecretsManagerStub.newSecretArn("missing")), "ResourceNotFoundException");
    }

    @Test
    void theReadIsRecordedAsSecretsManagerGetSecretValueByTheSignUpPart() throws Exception {
        String login = login("rec");
        database.ensure(ApplicationLogin.SIGNUP.credentials(login, "recorded"));
        String arn = SecretsManagerStub.newSecretArn("recorded");
        secrets.put(arn, login, "recorded");
        assertCreated(trigger(arn));
        List<String> recorded = Files.readAllLines(AwsCallRecorder.DIRECTORY.resolve(ProcessHandle.current().pid() + ".jsonl"));
        assertTrue(recorded.contains("{\"caller\":\"sign-up\",\"action\":\"secretsmanager:GetSecretValue\",\"resource\":\"secret\"}"),
                recorded.toString());
    }

    @Test
    void secretsManagersEndpointIsTheRegionsOwn() {
        assertEquals(URI.create("https://secretsmanager.eu-west-1.amazonaws.com"), SecretsManagerSecret.endpointOf("eu-west-1"));
        assertEquals(URI.create("https://secretsmanager.cn-north-1.amazonaws.com.cn"), SecretsManagerSecret.endpointOf("cn-north-1"));
    }

    private void assertFailsWith(SignUpLambdaHandler trigger, String errorType) {
        RecordingContext context = new RecordingContext();
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> trigger.handleRequest(newUser(), context));
        assertFalse(failed.getMessage().contains("arn:"), "the person signing up is not told the secret: " + failed.getMessage());
        assertTrue(context.events().get(0).contains("outcome=failed") && context.events().get(0).contains(errorType),
                context.events().toString());
    }

    private static List<String> assertCreated(SignUpLambdaHandler trigger) {
        RecordingContext context = new RecordingContext();
        trigger.handleRequest(newUser(), context);
        List<String> lines = context.events();
        assertTrue(lines.get(lines.size() - 1).contains("outcome=created"), lines.toString());
        return lines;
    }

    private static com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPostConfirmationEvent newUser() {
        String id = Long.toString(System.nanoTime(), 36);
        return signUp(attributes(UUID.randomUUID().toString(), "rotation" + id, "Rotation " + id, "rotation" + id + "@cruddur.test"));
    }

    private static SignUpLambdaHandler trigger(String secretArn) {
        SecretsManagerSecret secret = new SecretsManagerSecret(secretArn, URI.create(secrets.endpoint()), "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        return new SignUpLambdaHandler(database.url(), "verify-full", LocalPostgres.caFile(stack), secret);
    }

    private static String login(String prefix) {
        return "signup_" + prefix + "_" + Long.toString(System.nanoTime(), 36);
    }
}
