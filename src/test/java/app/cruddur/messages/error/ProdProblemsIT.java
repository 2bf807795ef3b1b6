package app.cruddur.messages.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.RawHttp;
import app.cruddur.messages.support.Tokens;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service in the prod profile refuses what the tests refuse in the test profile, with
 * the same problem documents and nothing internal in them: requests without a Host header, and
 * tokens signed with another algorithm than RS256 or without a sub.
 */
class ProdProblemsIT {

    private static ServiceProcess service;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        LocalStackProcess stack = LocalStackTestResource.started();
        service = ServiceProcess.start(Path.of("").toAbsolutePath(), stack, Files.createTempFile("service-prod", ".log"),
                Map.of());
        port = service.baseUri().getPort();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aRequestWithoutAHostIsA400ProblemThatNamesNothingInternal() {
        for (String head : List.of("GET /api/me HTTP/1.1\r\n", "GET /api/users/@bayko/short HTTP/1.1\r\n",
                "POST /api/messages HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 0\r\n",
                "GET /q/health/ready HTTP/1.1\r\n", "GET /api/me HTTP/1.1\r\nHost: a\r\nHost: b\r\n")) {
            RawHttp.Answer answer = RawHttp.send(port, head + "Connection: close\r\n");
            assertEquals(400, answer.status(), head + answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"), head);
            assertEquals("malformed_request", JsonPath.from(answer.body()).getString("code"));
            HttpProblemsTest.assertNamesNothingInternal(answer);
        }
        RawHttp.Answer star = RawHttp.send(port, "OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        assertEquals(404, star.status(), star.body());
        assertEquals("not_found", JsonPath.from(star.body()).getString("code"));
        HttpProblemsTest.assertNamesNothingInternal(star);
    }

    @Test
    void onlyRs256TokensWithASubAreAccepted() {
        String sub = UUID.randomUUID().toString();
        JwtClaims noSub = Tokens.accessClaims(sub, "prodcheck");
        noSub.unsetClaim("sub");
        for (String token : List.of(Tokens.signWithCognitoKey(noSub),
                Tokens.signWithCognitoKey(Tokens.accessClaims(sub + "\u0000", "prodcheck")),
                Tokens.signWithCognitoKey(Tokens.accessClaims(sub, "prodcheck"), AlgorithmIdentifiers.RSA_USING_SHA512),
                Tokens.signWithCognitoKey(Tokens.accessClaims(sub, "prodcheck"), AlgorithmIdentifiers.RSA_PSS_USING_SHA256))) {
            RawHttp.Answer answer = RawHttp.send(port, "GET /api/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + token + "\r\nConnection: close\r\n");
            assertEquals(401, answer.status(), answer.body());
            assertEquals("invalid_token", JsonPath.from(answer.body()).getString("code"));
        }
        // The same token signed RS256 passes verification: no users row for it, so 403.
        RawHttp.Answer valid = RawHttp.send(port, "GET /api/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + Tokens.signWithCognitoKey(Tokens.accessClaims(sub, "prodcheck")) + "\r\nConnection: close\r\n");
        assertEquals(403, valid.status(), valid.body());
        assertFalse(valid.body().contains("Exception"), valid.body());
    }
}
