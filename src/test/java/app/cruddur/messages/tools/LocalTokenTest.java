package app.cruddur.messages.tools;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.user.UserRepository;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/local-token: a token for a user of the local pool, by handle or by email, that the service accepts. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class LocalTokenTest {

    @Inject
    UserRepository users;

    @TempDir
    Path temp;
    private Path coordinates;

    @BeforeEach
    void coordinatesOfTheTestStack() throws Exception {
        coordinates = temp.resolve("coordinates.json");
        new ObjectMapper().writeValue(coordinates.toFile(), LocalStackProcess.current().coordinates());
    }

    @Test
    void aHandleGivesAnAccessTokenOfThatUser() throws Exception {
        TestUser dana = TestUsers.register(users, "dana");
        ToolRun token = localToken(dana.handle());
        assertEquals(0, token.code(), token.err());
        given().header("Authorization", "Bearer " + token.out().trim()).get("/api/me").then()
                .statusCode(200).body("handle", equalTo(dana.handle()));
    }

    @Test
    void anEmailWorksTooAndIdGivesTheIdTokenWhichTheServiceRefuses() throws Exception {
        TestUser erin = TestUsers.register(users, "erin");
        ToolRun access = localToken(erin.handle() + "@cruddur.test");
        assertEquals(0, access.code(), access.err());
        given().header("Authorization", "Bearer " + access.out().trim()).get("/api/me").then().statusCode(200);
        ToolRun id = localToken(erin.handle(), "--id");
        assertEquals(0, id.code(), id.err());
        given().header("Authorization", "Bearer " + id.out().trim()).get("/api/me").then().statusCode(401)
                .body("code", equalTo("invalid_token"));
    }

    @Test
    void anUnknownHandleIsOneLineAndExitCode1() throws Exception {
        ToolRun result = localToken("nobody" + System.nanoTime());
        assertEquals(1, result.code());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("local-token: no user of the local pool has the handle"), result.err());
    }

    private ToolRun localToken(String... args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        String[] command = new String[args.length + 2];
        command[0] = "node";
        command[1] = root.resolve("bin/local-token").toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CRUDDUR_LOCAL_COORDINATES", coordinates.toString());
        return ToolRun.ofProcess(builder, 30);
    }
}
