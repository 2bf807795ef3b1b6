package app.cruddur.messages.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.postgres.ApplicationLogin;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.MasterDatabase;
import app.cruddur.messages.support.SecretsManagerStub;
import app.cruddur.messages.support.LocalPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs after packaging: the sign-up trigger's jar works as Lambda runs it. AWS's Java runtime
 * (the runtime interface client) loads the handler from the extracted jar alone and takes
 * post-confirmation events in the JSON Cognito sends, from a Runtime API stub; the function reads
 * its database secret from a stand-in of Secrets Manager's endpoint and signs in, over verified TLS,
 * to a database set up as RDS sets one up, as the login the service's init run makes for it (a
 * member of cruddur_signup, which may only SELECT and INSERT users). A sign-up writes the row and
 * answers the event; its redelivery the same answer and no change; a password reset nothing; a
 * taken handle and a handle-less user a function error whose message Cognito would show. The log
 * names subs and outcomes and no email.
 */
class SignUpLambdaRuntimeIT {

    private static final String FUNCTION = "cruddur-messages-sign-up";
    private static final String HANDLER = "app.cruddur.messages.user.signup.SignUpLambdaHandler::handleRequest";
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStackProcess stack;
    private static MasterDatabase database;
    private static SecretsManagerStub secrets;
    private static String secretArn;
    private static RuntimeApiStub api;
    private static LambdaRuntimeProcess runtime;
    private static final List<String> emails = new ArrayList<>();

    @BeforeAll
    static void startTheRuntime() throws Exception {
        stack = LocalStackTestResource.started();
        // A database as RDS sets one up, migrated as its master, and the trigger's login, as the service's init run makes them.
        database = MasterDatabase.create(stack, "signup_it");
        database.migrate();
        String login = "signup_it_" + Long.toString(System.nanoTime(), 36);
        database.ensure(ApplicationLogin.SIGNUP.credentials(login, "it-password"));
        secrets = SecretsManagerStub.start();
        secretArn = SecretsManagerStub.newSecretArn("cruddur-db");
        secrets.put(secretArn, login, "it-password");
        api = RuntimeApiStub.start(FUNCTION);
        long start = System.nanoTime();
        runtime = LambdaRuntimeProcess.start(FUNCTION, ShadedJars.of("signup-lambda"), HANDLER, Path.of("target", "lambda-runtime"),
                Path.of("target", "signup-lambda-runtime-it"), api, Map.of(
                        "POSTGRES_URL", database.url(),
                        "POSTGRES_SSL_MODE", "verify-full",
                        "POSTGRES_CA_FILE", LocalPostgres.caFile(stack).toString(),
                        "DATABASE_SECRET_ARN", secretArn,
                        "SECRETS_MANAGER_ENDPOINT", secrets.endpoint()));
        // Cognito waits 5 s for a trigger: how long a cold function takes to answer a first event (no database),
        // from the runtime's start (the jar is unpacked by then, as in Lambda).
        long extracted = System.nanoTime();
        runtime.invoke(api, event("PostConfirmation_ConfirmForgotPassword", UUID.randomUUID().toString(), "warm", "Warm").toString(),
                INVOCATION_TIMEOUT);
        System.out.printf("Sign-up Lambda: unpacked in %d ms, started and answered a first event in %d ms%n",
                (extracted - start) / 1_000_000, (System.nanoTime() - extracted) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            String log = runtime.output();
            emails.forEach(email -> assertFalse(log.contains(email), "an email in the function's log: " + email + "\n" + log));
            runtime.close();
        }
        if (api != null) {
            api.close();
        }
        if (secrets != null) {
            secrets.close();
        }
    }

    @Test
    void aSignUpWritesTheRowAndAnswersTheEventAlsoWhenDeliveredAgain() throws Exception {
        String sub = UUID.randomUUID().toString();
        String handle = "runtime" + Long.toString(System.nanoTime(), 36);
        ObjectNode event = event("PostConfirmation_ConfirmSignUp", sub, handle, "Runtime User");

        long start = System.nanoTime();
        RuntimeApiStub.Answer answer = runtime.answer(api, event.toString(), INVOCATION_TIMEOUT);
        assertEquals("response", answer.endpoint(), answer.body() + "\n" + runtime.output());
        System.out.printf("Sign-up Lambda: first sign-up (secret read, TLS connection, insert) in %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
        assertTheEventCameBack(event, JSON.readTree(answer.body()));
        List<String> row = row(sub);
        assertEquals(List.of(handle, "Runtime User", email(handle)), row.subList(1, 4));

        start = System.nanoTime();
        assertEquals(answer.body(), runtime.invoke(api, event.toString(), INVOCATION_TIMEOUT), "the same answer");
        System.out.printf("Sign-up Lambda: its redelivery in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertEquals(row, row(sub), "the row unchanged");
        assertEquals(1, secrets.reads(secretArn), "the secret read once for the execution environment");
        assertTrue(runtime.output().contains("sign-up sub=" + sub + " outcome=created handle=" + handle), runtime.output());
        assertTrue(runtime.output().contains("sign-up sub=" + sub + " outcome=already-registered"), runtime.output());
    }

    @Test
    void aPasswordResetWritesNothing() throws Exception {
        String sub = UUID.randomUUID().toString();
        ObjectNode event = event("PostConfirmation_ConfirmForgotPassword", sub, "reset" + Long.toString(System.nanoTime(), 36), "Reset");
        assertTheEventCameBack(event, JSON.readTree(runtime.invoke(api, event.toString(), INVOCATION_TIMEOUT)));
        assertEquals(List.of(), row(sub));
    }

    @Test
    void aTakenHandleAndAMissingHandleAreFunctionErrorsWithAMessageForThePerson() throws Exception {
        String owner = UUID.randomUUID().toString();
        String handle = "claimed" + Long.toString(System.nanoTime(), 36);
        runtime.invoke(api, event("PostConfirmation_ConfirmSignUp", owner, handle, "Owner").toString(), INVOCATION_TIMEOUT);
        List<String> owned = row(owner);

        String newcomer = UUID.randomUUID().toString();
        RuntimeApiStub.Answer taken = runtime.answer(api,
                event("PostConfirmation_ConfirmSignUp", newcomer, handle, "Newcomer").toString(), INVOCATION_TIMEOUT);
        assertRefused(taken, "The handle " + handle + " already belongs to another Cruddur user. Please contact support to choose another.");
        assertEquals(owned, row(owner));
        assertEquals(List.of(), row(newcomer));

        ObjectNode handleless = event("PostConfirmation_ConfirmSignUp", UUID.randomUUID().toString(), "unused", "No Handle");
        ((ObjectNode) handleless.path("request").path("userAttributes")).remove("preferred_username");
        assertRefused(runtime.answer(api, handleless.toString(), INVOCATION_TIMEOUT), "A handle (preferred_username) is required.");
    }

    @Test
    void withoutTheCaBundleTheFunctionDoesNotStartAndSaysWhereItLooked() throws Exception {
        // The jar built without -Prds-ca, and no POSTGRES_CA_FILE: verify-full has nothing to verify against.
        try (RuntimeApiStub bare = RuntimeApiStub.start(FUNCTION);
             LambdaRuntimeProcess started = LambdaRuntimeProcess.start(FUNCTION, ShadedJars.of("signup-lambda"), HANDLER,
                     Path.of("target", "lambda-runtime"), Path.of("target", "signup-lambda-runtime-it-no-ca"), bare, Map.of(
                             "POSTGRES_URL", database.url(),
                             "DATABASE_SECRET_ARN", secretArn,
                             "SECRETS_MANAGER_ENDPOINT", secrets.endpoint()))) {
            RuntimeApiStub.Answer failed = bare.initError().get(INVOCATION_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            String message = JSON.readTree(failed.body()).path("errorMessage").asText();
            assertTrue(message.contains("POSTGRES_SSL_MODE=verify-full") && message.contains("/task/rds-ca.pem")
                    && message.contains("-Prds-ca"), message + "\n" + started.output());
        }
    }

    private static void assertRefused(RuntimeApiStub.Answer answer, String message) throws IOException {
        assertEquals("error", answer.endpoint(), answer.body());
        JsonNode error = JSON.readTree(answer.body());
        // Cognito shows the person "PostConfirmation failed with error <errorMessage>."
        assertEquals(message, error.path("errorMessage").asText());
        assertEquals("app.cruddur.messages.user.signup.SignUpRefusedException", error.path("errorType").asText());
    }

    /** What Cognito reads back: the event it sent (the post-confirmation response has no fields). */
    private static void assertTheEventCameBack(ObjectNode sent, JsonNode answer) {
        sent.fieldNames().forEachRemaining(field -> {
            if (!field.equals("response")) {
                assertEquals(sent.get(field), answer.get(field), field + " in " + answer);
            }
        });
    }

    /** A post-confirmation event as Cognito sends it for a pool that signs in by email. */
    private static ObjectNode event(String triggerSource, String sub, String handle, String name) {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "1")
                .put("region", "us-east-1")
                .put("userPoolId", "us-east-1_CruddurIt")
                .put("userName", sub)
                .put("triggerSource", triggerSource);
        event.putObject("callerContext").put("awsSdkVersion", "aws-sdk-unknown-unknown").put("clientId", "cruddurwebclient0001");
        event.putObject("request").putObject("userAttributes")
                .put("sub", sub)
                .put("email_verified", "true")
                .put("cognito:user_status", "CONFIRMED")
                .put("preferred_username", handle)
                .put("name", name)
                .put("email", email(handle));
        event.putObject("response");
        return event;
    }

    private static String email(String handle) {
        String email = handle + "@cruddur.test";
        emails.add(email);
        return email;
    }

    /** uuid, handle, display_name, email of the sub's row; empty without one. */
    private static List<String> row(String sub) throws SQLException {
        try (Connection connection = database.masterConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT uuid, handle, display_name, email, created_at FROM users WHERE cognito_user_id = ?")) {
            select.setString(1, sub);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return List.of();
                }
                return List.of(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5));
            }
        }
    }
}
