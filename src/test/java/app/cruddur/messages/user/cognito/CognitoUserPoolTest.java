package app.cruddur.messages.user.cognito;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What goes over the wire to Cognito, seen by a plain HTTP server: the SigV4 scope AWS requires,
 * ListUsers paging (cognito-local never pages, AWS does at 60) and Cognito's error shape.
 */
class CognitoUserPoolTest {

    private final List<Headers> seen = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private HttpServer server;
    private CognitoUserPool pool;

    @BeforeEach
    void server() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestHeaders());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String answer = answers.remove(0);
            int status = answer.contains("__type") ? 400 : 200;
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        pool = new CognitoUserPool(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), "eu-west-1_pool");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void requestsAreSignedForCognitoInTheRegionAndPagesAreFollowed() {
        answers.add("{\"Users\":[{\"Username\":\"a\",\"UserStatus\":\"CONFIRMED\",\"Enabled\":true,\"Attributes\":["
                + "{\"Name\":\"sub\",\"Value\":\"sub-a\"},{\"Name\":\"preferred_username\",\"Value\":\"alice\"}]}],"
                + "\"PaginationToken\":\"next-page\"}");
        answers.add("{\"Users\":[{\"Username\":\"b\",\"UserStatus\":\"FORCE_CHANGE_PASSWORD\",\"Enabled\":false,\"Attributes\":["
                + "{\"Name\":\"sub\",\"Value\":\"sub-b\"}]}]}");

        List<CognitoUserPool.PoolUser> users = pool.listUsers();

        assertEquals(2, users.size());
        assertEquals("alice", users.get(0).preferredUsername().orElseThrow());
        assertEquals("sub-b", users.get(1).sub());
        assertTrue(users.get(1).preferredUsername().isEmpty());
        assertEquals(false, users.get(1).enabled());
        assertEquals(2, seen.size());
        assertTrue(bodies.get(0).contains("\"Limit\":60") && !bodies.get(0).contains("PaginationToken"), bodies.get(0));
        assertTrue(bodies.get(1).contains("\"PaginationToken\":\"next-page\""), bodies.get(1));
        for (Headers headers : seen) {
            assertEquals("AWSCognitoIdentityProviderService.ListUsers", headers.getFirst("X-Amz-Target"));
            assertEquals("application/x-amz-json-1.1", headers.getFirst("Content-Type"));
            String authorization = headers.getFirst("Authorization");
            assertTrue(authorization.matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/cognito-idp/aws4_request, "
                    + "SignedHeaders=[a-z0-9;-]*host;[a-z0-9;-]*x-amz-date;x-amz-target, Signature=[0-9a-f]{64}"), authorization);
            assertTrue(headers.getFirst("X-Amz-Date").matches("\\d{8}T\\d{6}Z"));
        }
    }

    @Test
    void cognitoErrorsCarryTheirTypeAndAMissingUserIsEmpty() {
        answers.add("{\"__type\":\"UserNotFoundException\",\"message\":\"User does not exist.\"}");
        assertTrue(pool.findUser("nobody").isEmpty());

        answers.add("{\"__type\":\"com.amazonaws.cognito#NotAuthorizedException\",\"message\":\"not allowed\"}");
        CognitoUserPool.CognitoException refused = assertThrows(CognitoUserPool.CognitoException.class, pool::listUsers);
        assertEquals("NotAuthorizedException", refused.type());
        assertEquals("ListUsers: NotAuthorizedException: not allowed", refused.getMessage());
    }
}
