package app.cruddur.messages.support;

import app.cruddur.messages.localstack.LocalStackProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;

/** Tokens from the local Cognito, and hand-made variants of them for the negative cases. */
public final class Tokens {

    private Tokens() {
    }

    public static LocalStackProcess stack() {
        return LocalStackProcess.current();
    }

    /** The email a test user signs in with. */
    public static String email(String handle) {
        return handle + "@cruddur.test";
    }

    /** Creates the Cognito user when missing; returns its sub. */
    public static String cognitoUser(String handle) {
        return stack().ensureCognitoUser(handle, email(handle), "Test " + handle);
    }

    public static String accessToken(String handle) {
        return stack().signIn(email(handle), null).path("AccessToken").asText();
    }

    public static String idToken(String handle) {
        return stack().signIn(email(handle), null).path("IdToken").asText();
    }

    public static String accessTokenOfClient(String handle, String clientName) {
        String clientId = stack().command("create-client " + clientName);
        return stack().signIn(email(handle), clientId).path("AccessToken").asText();
    }

    /** The claims of a genuine access token of the configured app client, for building variants. */
    public static JwtClaims accessClaims(String sub, String username) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(sub);
        claims.setIssuer(stack().cognitoIssuer());
        claims.setClaim("client_id", stack().cognitoClientId());
        claims.setClaim("token_use", "access");
        claims.setClaim("username", username);
        claims.setClaim("scope", "aws.cognito.signin.user.admin");
        claims.setJwtId(UUID.randomUUID().toString());
        long now = Instant.now().getEpochSecond();
        claims.setClaim("iat", now);
        claims.setClaim("auth_time", now);
        claims.setClaim("exp", now + 3600);
        return claims;
    }

    /** Signs claims with the local Cognito's own key (kid CognitoLocal), as it would (RS256). */
    public static String signWithCognitoKey(JwtClaims claims) {
        return signWithCognitoKey(claims, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** Signs claims with the local Cognito's own key, with another JWS algorithm its RSA key can make. */
    public static String signWithCognitoKey(JwtClaims claims, String algorithm) {
        try {
            Path keyFile = stack().cognitoKeyFile();
            Map<String, Object> json = JsonUtil.parseJson(Files.readString(keyFile));
            @SuppressWarnings("unchecked")
            RsaJsonWebKey key = (RsaJsonWebKey) JsonWebKey.Factory.newJwk((Map<String, Object>) json.get("jwk"));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getRsaPrivateKey());
            jws.setKeyIdHeaderValue("CognitoLocal");
            jws.setAlgorithmHeaderValue(algorithm);
            jws.setHeader("typ", "JWT");
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
