package app.cruddur.messages.error;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.messages.support.LocalStackTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link ErrorCode} is the one list of codes: the list in docs/api.md and the codes OpenAPI's response
 * descriptions name are exactly its codes.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class ErrorCodesDocumentedTest {

    /** Codes the HTTP layer answers on any path; docs/api.md describes them once, not per operation. */
    private static final Set<ErrorCode> ANY_PATH = EnumSet.of(ErrorCode.MALFORMED_REQUEST, ErrorCode.REQUEST_REJECTED,
            ErrorCode.NOT_FOUND, ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.NOT_ACCEPTABLE, ErrorCode.CORS_REJECTED,
            ErrorCode.FORBIDDEN, ErrorCode.INTERNAL_ERROR);
    private static final Pattern CODE_LIKE = Pattern.compile("\\b([a-z]+(?:_[a-z]+)+|unauthenticated|forbidden)\\b");
    private static final Pattern BACKTICKED = Pattern.compile("`([a-z]+(?:_[a-z]+)*)`");

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void theApiDocumentListsEveryCodeAndNoOther() throws IOException {
        String api = Files.readString(Path.of("docs", "api.md"));
        int start = api.indexOf("## Error codes");
        int end = api.indexOf("\n## ", start + 1);
        String section = api.substring(start, end < 0 ? api.length() : end);
        Set<String> listed = new TreeSet<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("- ")) {
                Matcher code = BACKTICKED.matcher(line);
                while (code.find()) {
                    listed.add(code.group(1));
                }
            }
        }
        assertEquals(all(EnumSet.allOf(ErrorCode.class)), listed, "docs/api.md \"Error codes\" against ErrorCode");
    }

    @Test
    void openApiNamesOnlyCodesThatExistAndEveryCodeAnOperationAnswers() {
        JsonPath doc = given().port(management.getPort()).accept("application/json").get("/q/openapi?format=json").jsonPath();
        Set<String> named = new TreeSet<>();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        for (Map<String, Map<String, Object>> operations : paths.values()) {
            for (Map<String, Object> operation : operations.values()) {
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.get("responses");
                if (responses == null) {
                    continue;
                }
                for (Map<String, Object> response : responses.values()) {
                    Matcher code = CODE_LIKE.matcher(String.valueOf(response.get("description")));
                    while (code.find()) {
                        named.add(code.group(1));
                    }
                }
            }
        }
        Set<ErrorCode> perOperation = EnumSet.allOf(ErrorCode.class);
        perOperation.removeAll(ANY_PATH);
        assertEquals(all(perOperation), named, "codes in OpenAPI's response descriptions against ErrorCode");
    }

    private static Set<String> all(Set<ErrorCode> codes) {
        return codes.stream().map(ErrorCode::code).collect(Collectors.toCollection(TreeSet::new));
    }
}
