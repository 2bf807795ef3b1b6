package app.cruddur.messages.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.support.Await;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A verified token is remembered until it expires, and only that exact token: real tokens of the
 * local Cognito, verified by quarkus-oidc through its JWKS.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifiedTokenCacheTest {

    private static final UUID FIRST = UUID.fromString("6f1b8f0e-27a4-4c43-9d0e-2c8a9b1f3a01");
    private static final UUID SECOND = UUID.fromString("6f1b8f0e-27a4-4c43-9d0e-2c8a9b1f3a02");

    @Inject
    UserRepository users;

    @Inject
    VerifiedTokenCache cache;

    private String firstSub;
    private String secondSub;

    @BeforeAll
    void registerUsers() {
        firstSub = Tokens.cognitoUser("cachefirst");
        secondSub = Tokens.cognitoUser("cachesecond");
        users.upsert(FIRST, "cachefirst", "Cache First", "cachefirst@cruddur.test", firstSub).await().atMost(Duration.ofSeconds(10));
        users.upsert(SECOND, "cachesecond", "Cache Second", "cachesecond@cruddur.test", secondSub).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aVerifiedTokenIsRememberedAndEachTokenIsItsOwnCaller() {
        String first = Tokens.accessToken("cachefirst");
        String second = Tokens.accessToken("cachesecond");
        assertTrue(cache.find(first).isEmpty(), "not verified yet");
        for (int i = 0; i < 3; i++) {
            me(first).statusCode(200).body("uuid", equalTo(FIRST.toString()));
            me(second).statusCode(200).body("uuid", equalTo(SECOND.toString()));
        }
        assertTrue(cache.find(first).isPresent(), "remembered after its verification");
        assertTrue(cache.find(second).isPresent());
    }

    @Test
    void noVariantOfARememberedTokenIsAccepted() {
        String token = Tokens.accessToken("cachefirst");
        me(token).statusCode(200);
        assertTrue(cache.find(token).isPresent());
        String[] parts = token.split("\\.");

        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[signature.length - 1] ^= 0x01;
        invalid(parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature));

        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace(firstSub, secondSub);
        invalid(parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2]);

        invalid(token + "x");
        invalid(token.substring(0, token.length() - 1));
        // Another spelling of the scheme, or the token twice: not recognised here, verified as before.
        given().header("Authorization", "bearer " + token).get("/api/me").then().statusCode(200)
                .body("uuid", equalTo(FIRST.toString()));
        me(token).statusCode(200).body("uuid", equalTo(FIRST.toString()));
    }

    @Test
    void aRememberedTokenIsRefusedOnceItHasExpired() {
        JwtClaims claims = Tokens.accessClaims(firstSub, "cachefirst");
        Instant expires = Instant.now().plusSeconds(3);
        claims.setClaim("exp", expires.getEpochSecond());
        String token = Tokens.signWithCognitoKey(claims);
        me(token).statusCode(200).body("uuid", equalTo(FIRST.toString()));
        assertTrue(cache.find(token).isPresent());

        Await.until(Duration.ofSeconds(10), () -> Instant.now().isAfter(Instant.ofEpochSecond(expires.getEpochSecond())),
                () -> "the token did not expire");
        assertTrue(cache.find(token).isEmpty(), "forgotten at its exp");
        invalid(token);
    }

    private static ValidatableResponse me(String token) {
        return given().header("Authorization", "Bearer " + token).get("/api/me").then();
    }

    private static void invalid(String token) {
        me(token).statusCode(401).contentType("application/problem+json").body("code", equalTo("invalid_token"));
    }
}
