package app.cruddur.messages.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.util.List;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** /api/me with real tokens from the local Cognito, verified through its JWKS. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeResourceAuthTest {

    private static final String HANDLE = "authtester";
    private static final UUID USER_UUID = UUID.fromString("0b6a7c52-4a5e-4b64-9a3c-6f0e1a7d2c11");

    @Inject
    UserRepository users;

    private String sub;

    @BeforeAll
    void registerUser() {
        sub = Tokens.cognitoUser(HANDLE);
        users.upsert(USER_UUID, HANDLE, "Auth Tester", HANDLE + "@cruddur.test", sub).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void validAccessTokenGetsTheCallersUser() {
        me(Tokens.accessToken(HANDLE)).statusCode(200)
                .body("uuid", equalTo(USER_UUID.toString()))
                .body("handle", equalTo(HANDLE))
                .body("display_name", equalTo("Auth Tester"));
    }

    @Test
    void tokenSignedWithTheIssuersKeyIsAcceptedSoTheNegativeCasesBelowFailOnlyForTheirOwnReason() {
        me(Tokens.signWithCognitoKey(Tokens.accessClaims(sub, HANDLE))).statusCode(200).body("handle", equalTo(HANDLE));
    }

    @Test
    void missingTokenIs401UnauthenticatedWithABareChallenge() {
        unauthenticated(given().when().get("/api/me").then());
    }

    @Test
    void anotherSchemeThanBearerIsTreatedAsNoToken() {
        unauthenticated(given().header("Authorization", "Basic YW5kcmV3OnNlY3JldA==").when().get("/api/me").then());
    }

    @Test
    void theSignedOutFrontendsBearerNullIs401InvalidToken() {
        unauthorized("null");
    }

    @Test
    void anEmptyBearerTokenIs401InvalidToken() {
        given().header("Authorization", "Bearer ").when().get("/api/me").then().statusCode(401)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_token"))
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("error=\"invalid_token\""));
    }

    @Test
    void expiredTokenIs401() {
        JwtClaims claims = Tokens.accessClaims(sub, HANDLE);
        long past = Instant.now().minus(Duration.ofHours(2)).getEpochSecond();
        claims.setClaim("iat", past);
        claims.setClaim("auth_time", past);
        claims.setClaim("exp", past + 3600);
        unauthorized(Tokens.signWithCognitoKey(claims));
    }

    @Test
    void tokenOfAnotherIssuerIs401() {
        JwtClaims claims = Tokens.accessClaims(sub, HANDLE);
        claims.setIssuer("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_someoneelse");
        unauthorized(Tokens.signWithCognitoKey(claims));
    }

    @Test
    void tamperedSignatureIs401() {
        String token = Tokens.accessToken(HANDLE);
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[10] ^= 0x01;
        unauthorized(parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    }

    @Test
    void tamperedClaimsAre401() {
        String[] parts = Tokens.accessToken(HANDLE).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(sub, UUID.randomUUID().toString());
        unauthorized(parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    }

    @Test
    void unsignedTokenWithAlgNoneIs401() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(Tokens.accessClaims(sub, HANDLE).toJson().getBytes(StandardCharsets.UTF_8));
        unauthorized(header + "." + payload + ".");
    }

    @Test
    void aSignedTokenWithoutASubjectIs401() {
        JwtClaims claims = Tokens.accessClaims(sub, HANDLE);
        claims.unsetClaim("sub");
        String token = Tokens.signWithCognitoKey(claims);
        unauthorized(token);
        // Also where no caller is looked up: a token that is sent must be valid.
        unauthorized(given().header("Authorization", "Bearer " + token).get("/api/users/@" + HANDLE + "/short").then());
    }

    @Test
    void aSignedTokenWhoseSubjectHasControlCharactersIs401() {
        for (String bad : List.of("", sub + "\u0000", "\u0000", sub + "\n", "\t" + sub, sub + "\u007F", sub + "\u0085",
                sub + "\u200E", sub + " ", sub + "\u2028")) {
            JwtClaims claims = Tokens.accessClaims(bad, HANDLE);
            String token = Tokens.signWithCognitoKey(claims);
            unauthorized(token);
            unauthorized(given().header("Authorization", "Bearer " + token).get("/api/users/@" + HANDLE + "/short").then());
        }
    }

    @Test
    void onlyRs256IsAcceptedAsCognitoSignsWithNothingElse() {
        for (String algorithm : List.of(AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
                AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA512)) {
            unauthorized(Tokens.signWithCognitoKey(Tokens.accessClaims(sub, HANDLE), algorithm));
        }
    }

    @Test
    void idTokenIs401() {
        unauthorized(Tokens.idToken(HANDLE));
    }

    @Test
    void accessTokenOfAnotherAppClientIs401() {
        unauthorized(Tokens.accessTokenOfClient(HANDLE, "some-other-app"));
    }

    @Test
    void garbageIs401() {
        unauthorized("not-a-jwt");
    }

    @Test
    void validTokenWithoutAUsersRowIs403WithCode() {
        Tokens.cognitoUser("unregistered");
        me(Tokens.accessToken("unregistered")).statusCode(403)
                .contentType("application/problem+json")
                .body("code", equalTo("user_not_registered"))
                .body("status", equalTo(403));
    }

    private static ValidatableResponse me(String token) {
        return given().header("Authorization", "Bearer " + token).when().get("/api/me").then();
    }

    /** A token was sent and failed: RFC 6750's invalid_token, as a problem, with no framework text. */
    private static void unauthorized(String token) {
        unauthorized(me(token));
    }

    private static void unauthorized(ValidatableResponse answer) {
        ValidatableResponse response = answer.statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("code", equalTo("invalid_token"))
                .header("WWW-Authenticate", equalTo("Bearer realm=\"cruddur-messages\", error=\"invalid_token\", "
                        + "error_description=\"The access token is invalid or has expired\""));
        assertEquals(1, response.extract().headers().getValues("WWW-Authenticate").size(), "one challenge");
        assertFalse(response.extract().body().asString().contains(Tokens.stack().cognitoClientId()), "no framework text");
    }

    private static void unauthenticated(ValidatableResponse response) {
        response.statusCode(401)
                .contentType("application/problem+json")
                .body("code", equalTo("unauthenticated"))
                .header("WWW-Authenticate", equalTo("Bearer realm=\"cruddur-messages\""));
    }
}
