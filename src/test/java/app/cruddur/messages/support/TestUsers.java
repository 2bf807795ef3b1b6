package app.cruddur.messages.support;

import app.cruddur.messages.user.UserRepository;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Registered users for API tests: a Cognito user in the local pool, its users row, and a real access token. */
public final class TestUsers {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    public record TestUser(UUID uuid, String handle, String displayName) {

        public String token() {
            return TOKENS.computeIfAbsent(handle, Tokens::accessToken);
        }

        /** A request signed in as this user. */
        public RequestSpecification api() {
            return given().header("Authorization", "Bearer " + token());
        }
    }

    private TestUsers() {
    }

    /** A new user whose handle starts with {@code prefix} and is unique in this run. */
    public static TestUser register(UserRepository users, String prefix) {
        String handle = prefix + SEQUENCE.incrementAndGet() + "x" + Long.toString(System.nanoTime() % 1_000_000, 36);
        String sub = Tokens.cognitoUser(handle);
        UUID uuid = UUID.randomUUID();
        String displayName = "Test " + handle;
        users.upsert(uuid, handle, displayName, handle + "@cruddur.test", sub).await().atMost(Duration.ofSeconds(10));
        return new TestUser(uuid, handle, displayName);
    }
}
