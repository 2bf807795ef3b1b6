package app.cruddur.messages.user.signup;

import static app.cruddur.messages.user.signup.PostConfirmationEvents.attributes;
import static app.cruddur.messages.user.signup.PostConfirmationEvents.event;
import static app.cruddur.messages.user.signup.PostConfirmationEvents.signUp;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.postgres.ApplicationLogin;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.RecordingContext;
import app.cruddur.messages.support.LocalPostgres;
import app.cruddur.messages.support.Tokens;
import app.cruddur.messages.support.UsersTable;
import com.amazonaws.services.lambda.runtime.events.CognitoUserPoolPostConfirmationEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The post-confirmation trigger against the local stack's real PostgreSQL, over TLS (verify-full)
 * as its login made as the init run makes it (a member of cruddur_signup, db/migration: it may only
 * SELECT and INSERT users), with users of the local Cognito pool; the service running beside it
 * answers their tokens.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignUpTriggerTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private LocalStackProcess stack;
    private SignUpLambdaHandler trigger;
    private String login;

    @BeforeAll
    void connectAsTheTriggersLogin() throws Exception {
        stack = LocalStackProcess.current();
        login = "signup_" + Long.toString(System.nanoTime(), 36);
        // The service's database trusts local connections: the grants are tested here, passwords in SecretRotationTest.
        String jdbcUrl = stack.serviceConfig().get("quarkus.datasource.jdbc.url");
        try (Connection admin = admin()) {
            ApplicationLogin.ensure(admin, ApplicationLogin.SIGNUP.credentials(login, "first-password"),
                    (user, password) -> DriverManager.getConnection(jdbcUrl, user, password));
        }
        trigger = new SignUpLambdaHandler(LocalPostgres.url(stack), "verify-full", LocalPostgres.caFile(stack), login,
                "first-password");
    }

    @Test
    void aConfirmedSignUpBecomesAUserTheServiceAccepts() throws Exception {
        String handle = handle("newcomer");
        String sub = Tokens.cognitoUser(handle);
        String token = Tokens.accessToken(handle);
        me(token).statusCode(403).body("code", equalTo("user_not_registered"));

        CognitoUserPoolPostConfirmationEvent event = signUp(attributes(sub, handle, "Test " + handle, Tokens.email(handle)));
        CognitoUserPoolPostConfirmationEvent copy = signUp(event.getRequest().getUserAttributes());
        RecordingContext context = context();
        assertSame(event, trigger.handleRequest(event, context), "the event goes back to Cognito");
        assertEquals(copy, event, "unchanged");

        Map<String, Object> row = row(sub).orElseThrow();
        assertEquals(handle, row.get("handle"));
        assertEquals("Test " + handle, row.get("display_name"));
        assertEquals(Tokens.email(handle), row.get("email"));
        me(token).statusCode(200).body("handle", equalTo(handle)).body("display_name", equalTo("Test " + handle))
                .body("uuid", equalTo(row.get("uuid").toString()));
        assertEquals(List.of("sign-up sub=" + sub + " outcome=created handle=" + handle), context.events());
        assertNoEmailIn(context, Tokens.email(handle));
    }

    @Test
    void aRepeatedDeliveryChangesNothing() throws Exception {
        String sub = UUID.randomUUID().toString();
        String handle = handle("twice");
        CognitoUserPoolPostConfirmationEvent event = signUp(attributes(sub, handle, "Twice", handle + "@cruddur.test"));
        trigger.handleRequest(event, context());
        Map<String, Object> first = row(sub).orElseThrow();

        // Cognito calls again when the first call timed out, with the same event.
        RecordingContext again = context();
        assertSame(event, trigger.handleRequest(event, again));
        assertEquals(first, row(sub).orElseThrow(), "the same row: uuid, created_at, every column");
        assertEquals(1, count("cognito_user_id = ?", sub));
        assertEquals(List.of("sign-up sub=" + sub + " outcome=already-registered"), again.events());
    }

    @Test
    void aForgotPasswordConfirmationWritesNothingAndNeedsNoDatabase() throws Exception {
        String sub = UUID.randomUUID().toString();
        String handle = handle("forgetful");
        CognitoUserPoolPostConfirmationEvent event = event(SignUpLambdaHandler.CONFIRM_FORGOT_PASSWORD,
                attributes(sub, handle, "Forgetful", handle + "@cruddur.test"));
        RecordingContext context = context();
        assertSame(event, trigger.handleRequest(event, context));
        assertEquals(Optional.empty(), row(sub));
        assertEquals(0, count("handle = ?", handle));
        assertEquals(List.of("sign-up sub=" + sub + " outcome=nothing-to-write trigger=PostConfirmation_ConfirmForgotPassword"),
                context.events());

        SignUpLambdaHandler withoutDatabase = new SignUpLambdaHandler("postgresql://127.0.0.1:1/none", "disable",
                Path.of("none.pem"), "nobody", "nothing");
        assertSame(event, withoutDatabase.handleRequest(event, context()), "a password reset does not depend on the database");
    }

    @Test
    void aTakenHandleLeavesItsOwnerAloneAndFailsTheConfirmationWithAMessageForThePerson() throws Exception {
        String handle = handle("taken");
        String owner = UUID.randomUUID().toString();
        trigger.handleRequest(signUp(attributes(owner, handle, "The Owner", handle + "@cruddur.test")), context());
        Map<String, Object> owned = row(owner).orElseThrow();

        String newcomer = UUID.randomUUID().toString();
        RecordingContext context = context();
        SignUpRefusedException refused = assertThrows(SignUpRefusedException.class, () -> trigger.handleRequest(
                signUp(attributes(newcomer, handle, "Someone Else", "someone.else@cruddur.test")), context));

        assertEquals("The handle " + handle + " already belongs to another Cruddur user. Please contact support to choose another.",
                refused.getMessage());
        assertEquals(owned, row(owner).orElseThrow(), "the owner's row as it was");
        assertEquals(Optional.empty(), row(newcomer));
        assertEquals(List.of("sign-up sub=" + newcomer + " outcome=handle-taken handle=" + handle), context.events());
        assertNoEmailIn(context, "someone.else@cruddur.test");
    }

    @Test
    void aHandleOfAUserNotYetLinkedToThePoolIsTakenToo() throws Exception {
        // A row without a sub (written by the tools, never signed in) is someone's: a sign-up does not take it over.
        String handle = handle("unlinked");
        UUID uuid = UUID.randomUUID();
        UsersTable.insert(stack, uuid, handle, "Not Linked", null);
        String sub = UUID.randomUUID().toString();

        assertThrows(SignUpRefusedException.class, () -> trigger.handleRequest(
                signUp(attributes(sub, handle, "Claimant", "claimant@cruddur.test")), context()));
        assertEquals(Optional.empty(), row(sub));
        assertEquals(1, count("handle = ? AND cognito_user_id IS NULL", handle), "still unlinked");
    }

    @Test
    void attributesTheServiceCannotUseAreRefusedClearlyAndWriteNothing() throws Exception {
        String ok = "x" + Long.toString(System.nanoTime(), 36);
        String handleRule = "The handle may not contain spaces, slashes or control characters.";
        String email = "a@cruddur.test";
        List<Map.Entry<String, Map<String, String>>> cases = List.of(
                Map.entry("A handle (preferred_username) is required.", attributes("s", null, "Name", email)),
                Map.entry("A handle (preferred_username) is required.", attributes("s", "  ", "Name", email)),
                Map.entry("The handle is longer than 100 characters.", attributes("s", "h".repeat(101), "Name", email)),
                Map.entry(handleRule, attributes("s", ok + " two", "Name", email)),
                Map.entry(handleRule, attributes("s", ok + "/x", "Name", email)),
                Map.entry(handleRule, attributes("s", ok + "\t", "Name", email)),
                Map.entry(handleRule, attributes("s", ok + "\u0000", "Name", email)),
                Map.entry(handleRule, attributes("s", ok + "\u200b", "Name", email)),
                Map.entry(handleRule, attributes("s", ok + "\u00a0", "Name", email)),
                Map.entry("A display name (name) is required.", attributes("s", ok, null, email)),
                Map.entry("A display name (name) is required.", attributes("s", ok, " \t", email)),
                Map.entry("The display name is longer than 100 characters.", attributes("s", ok, "n".repeat(101), email)),
                Map.entry("The display name may not contain line breaks or control characters.", attributes("s", ok, "Two\nLines", email)),
                Map.entry("An email address is required.", attributes("s", ok, "Name", null)),
                Map.entry("The email address is not usable.", attributes("s", ok, "Name", "a b@cruddur.test")),
                Map.entry("The account has no usable identifier (sub).", attributes("", ok, "Name", email)));

        List<String> failures = new ArrayList<>();
        cases.forEach(refusal -> refuse(refusal.getKey(), refusal.getValue(), failures));
        assertEquals(List.of(), failures);
        assertEquals(0, count("handle LIKE ?", ok + "%"), "nothing written");
    }

    @Test
    void theLongestHandleAndDisplayNameAreAcceptedAsGiven() throws Exception {
        String sub = UUID.randomUUID().toString();
        String handle = handle("long");
        handle = handle + "h".repeat(NewUser.MAX_HANDLE_LENGTH - handle.length());
        String name = "Zoë 👩‍💻 " + "n".repeat(NewUser.MAX_DISPLAY_NAME_LENGTH - 10);
        trigger.handleRequest(signUp(attributes(sub, handle, name, "long@cruddur.test")), context());
        Map<String, Object> row = row(sub).orElseThrow();
        assertEquals(handle, row.get("handle"));
        assertEquals(name, row.get("display_name"));
    }

    @Test
    void anotherTriggerIsRefusedAndWritesNothing() throws Exception {
        String sub = UUID.randomUUID().toString();
        assertThrows(IllegalArgumentException.class, () -> trigger.handleRequest(
                event("PreSignUp_SignUp", attributes(sub, handle("early"), "Early", "early@cruddur.test")), context()));
        assertEquals(Optional.empty(), row(sub));
    }

    @Test
    void theTriggersLoginCannotChangeOrRemoveUsersSoInsertAndSelectAreAllItNeeds() throws Exception {
        // Every test here signs users up as this login; it cannot do more than that.
        try (Connection connection = DriverManager.getConnection("jdbc:" + LocalPostgres.url(stack), login, "first-password");
             Statement statement = connection.createStatement()) {
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> statement.executeUpdate("UPDATE users SET display_name = display_name WHERE false")).getSQLState());
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> statement.executeUpdate("DELETE FROM users WHERE false")).getSQLState());
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedFailsTheConfirmationWithoutItsDetails() throws Exception {
        String sub = UUID.randomUUID().toString();
        SignUpLambdaHandler unreachable = new SignUpLambdaHandler("postgresql://127.0.0.1:1/cruddur", "disable", Path.of("none.pem"),
                login, "first-password");
        RecordingContext context = context();
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> unreachable.handleRequest(
                signUp(attributes(sub, handle("offline"), "Offline", "offline@cruddur.test")), context));
        assertEquals("Cruddur could not register this account just now. Please contact support.", failed.getMessage());
        assertEquals(1, context.events().size());
        assertTrue(context.events().get(0).startsWith("sign-up sub=" + sub + " outcome=failed sqlstate=08001 "), context.events().get(0));
        assertNoEmailIn(context, "offline@cruddur.test");
    }

    @Test
    void aServerCertificateFromAnotherAuthorityIsRefused() throws Exception {
        Path otherCa = otherAuthority();
        String sub = UUID.randomUUID().toString();
        SignUpLambdaHandler distrustful = new SignUpLambdaHandler(LocalPostgres.url(stack), "verify-full", otherCa, login,
                "first-password");
        RecordingContext context = context();
        assertThrows(IllegalStateException.class, () -> distrustful.handleRequest(
                signUp(attributes(sub, handle("mitm"), "Mitm", "mitm@cruddur.test")), context));
        assertTrue(context.events().get(0).contains("outcome=failed sqlstate=08006"), context.events().toString());
        assertTrue(context.events().get(0).contains("SSL error"), context.events().toString());
        assertEquals(Optional.empty(), row(sub));
    }

    /** A public CA from the JDK's trust store, as PEM: a real authority, but not the one that issued the local certificate. */
    private static Path otherAuthority() throws Exception {
        KeyStore cacerts = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toFile(),
                (char[]) null);
        Certificate ca = cacerts.getCertificate(Collections.list(cacerts.aliases()).get(0));
        Path pem = Files.createDirectories(Path.of("target", "sign-up-test")).resolve("other-ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return pem;
    }

    @Test
    void verifyingWithoutACaBundleStopsTheFunctionAtItsStart() {
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> new SignUpLambdaHandler(
                LocalPostgres.url(stack), "verify-full", Path.of("target", "no-such-bundle.pem"), login, "first-password"));
        assertTrue(missing.getMessage().contains("-Prds-ca"), missing.getMessage());
        assertNotNull(new SignUpLambdaHandler(LocalPostgres.url(stack), "disable", Path.of("target", "no-such-bundle.pem"),
                login, "first-password"), "no bundle is needed without verification");
    }

    private void refuse(String message, Map<String, String> attributes, List<String> failures) {
        Map<String, String> withSub = new LinkedHashMap<>(attributes);
        if ("s".equals(withSub.get("sub"))) {
            withSub.put("sub", UUID.randomUUID().toString());
        }
        RecordingContext context = context();
        try {
            trigger.handleRequest(signUp(withSub), context);
            failures.add("accepted: " + attributes);
        } catch (SignUpRefusedException e) {
            if (!message.equals(e.getMessage())) {
                failures.add(attributes + ": " + e.getMessage());
            }
            String line = context.events().isEmpty() ? "" : context.events().get(0);
            if (!line.contains("outcome=refused") || (withSub.get("email") != null && line.contains(withSub.get("email")))) {
                failures.add("logged " + context.events());
            }
            try {
                if (!withSub.get("sub").isEmpty() && row(withSub.get("sub")).isPresent()) {
                    failures.add("written: " + attributes);
                }
            } catch (SQLException sql) {
                throw new IllegalStateException(sql);
            }
        }
    }

    private static void assertNoEmailIn(RecordingContext context, String email) {
        context.events().forEach(line -> assertFalse(line.contains(email) || line.contains("@cruddur.test"), "an email in the log: " + line));
    }

    private static RecordingContext context() {
        return new RecordingContext();
    }

    private static String handle(String prefix) {
        return prefix + SEQUENCE.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    private static io.restassured.response.ValidatableResponse me(String token) {
        return given().header("Authorization", "Bearer " + token).when().get("/api/me").then();
    }

    /** The users row of this sub, every column, read as the database's owner. */
    private Optional<Map<String, Object>> row(String sub) throws SQLException {
        try (Connection connection = admin();
             PreparedStatement select = connection.prepareStatement("SELECT * FROM users WHERE cognito_user_id = ?")) {
            select.setString(1, sub);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    row.put(rows.getMetaData().getColumnName(column), rows.getObject(column));
                }
                assertFalse(rows.next(), "one row per sub");
                return Optional.of(row);
            }
        }
    }

    private int count(String where, String value) throws SQLException {
        try (Connection connection = admin();
             PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM users WHERE " + where)) {
            select.setString(1, value);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private Connection admin() throws SQLException {
        Map<String, String> config = stack.serviceConfig();
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"), config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }
}
