package app.cruddur.messages.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Cruddur React frontend's calls to this service, page by page, with the headers it sends (see
 * reference.md, "How the reference frontend really calls the service"): every call from the
 * origin http://localhost:3000, a preflight before each call a browser preflights, the access token
 * from localStorage (the literal "null" when signed out), the public profile without a token, and
 * the full reload right after a POST. Each step checks what the page reads of the answer.
 */
public final class CruddurFrontend {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** What the page reads of a conversation-list row, and the unread count it ignores (docs/api.md). */
    private static final Set<String> GROUP_FIELDS = Set.of("uuid", "display_name", "handle", "message", "created_at", "unread");
    private static final Set<String> MESSAGE_FIELDS = Set.of("uuid", "display_name", "handle", "message", "created_at");
    /** What a message has besides once its sender edited or deleted it; the page ignores them and renders message. */
    private static final Set<String> MESSAGE_CHANGE_FIELDS = Set.of("edited_at", "deleted_at");
    private static final Set<String> CREATED_FIELDS = Set.of("message_group_uuid", "uuid", "display_name", "handle", "message",
            "created_at");

    private final URI backend;

    public CruddurFrontend(URI backend) {
        this.backend = backend;
    }

    /** An answer as the page sees it: status, headers, and the body it parses with res.json(). */
    public record Answer(int status, HttpResponse<String> raw, JsonNode json) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** /messages: the conversation list. */
    public List<JsonNode> messageGroupsPage(String accessToken) {
        preflight("GET", "/api/message_groups", "authorization");
        Answer list = get("/api/message_groups", accessToken);
        assertEquals(200, list.status(), list.raw().body());
        assertTrue(list.json().isArray());
        List<JsonNode> groups = new ArrayList<>();
        list.json().forEach(group -> {
            assertEquals(GROUP_FIELDS, fields(group));
            groups.add(group);
        });
        return groups;
    }

    /** /messages/{uuid}: the list beside the conversation's newest page, oldest first. */
    public Page conversationPage(String accessToken, String conversationUuid) {
        List<JsonNode> groups = messageGroupsPage(accessToken);
        preflight("GET", "/api/messages/" + conversationUuid, "authorization");
        Answer page = get("/api/messages/" + conversationUuid, accessToken);
        assertEquals(200, page.status(), page.raw().body());
        List<JsonNode> messages = new ArrayList<>();
        page.json().forEach(message -> {
            Set<String> fields = fields(message);
            assertTrue(fields.containsAll(MESSAGE_FIELDS), "the page reads " + MESSAGE_FIELDS + ": " + fields);
            assertTrue(MESSAGE_CHANGE_FIELDS.containsAll(fields.stream().filter(field -> !MESSAGE_FIELDS.contains(field)).toList()),
                    "nothing else but " + MESSAGE_CHANGE_FIELDS + ": " + fields);
            messages.add(message);
        });
        return new Page(groups, messages);
    }

    /** What a conversation page shows: the conversation list and the messages, oldest first. */
    public record Page(List<JsonNode> groups, List<JsonNode> messages) {

        /** The list's entry for a conversation. */
        public JsonNode group(String conversationUuid) {
            return groups.stream().filter(g -> g.path("uuid").asText().equals(conversationUuid)).findFirst()
                    .orElseThrow(() -> new AssertionError("the list has no " + conversationUuid + ": " + groups));
        }
    }

    /**
     * Read-your-writes, as the list shows it: the conversation's entry has the sent message as its
     * last message, or a newer one. (Timestamps are one fixed-width UTC format, so they order as strings.)
     */
    public static void assertListShows(List<JsonNode> groups, JsonNode sent) {
        String group = sent.path("message_group_uuid").asText();
        JsonNode entry = new Page(groups, List.of()).group(group);
        String shownAt = entry.path("created_at").asText();
        String sentAt = sent.path("created_at").asText();
        assertTrue(shownAt.compareTo(sentAt) >= 0,
                "the list shows " + shownAt + " '" + entry.path("message").asText() + "', older than the message sent at " + sentAt);
        if (shownAt.equals(sentAt)) {
            assertEquals(sent.path("message").asText(), entry.path("message").asText());
        }
    }

    /**
     * Signs in as the frontend's sign-in page does (Amplify {@code Auth.signIn(email, password)} with
     * {@code authenticationFlowType: 'USER_PASSWORD_AUTH'} and {@code endpoint}): an unsigned
     * InitiateAuth call. Returns Cognito's AuthenticationResult, or the error answer.
     */
    public static JsonNode signIn(String cognitoEndpoint, String clientId, String email, String password) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cognitoEndpoint + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
                .POST(HttpRequest.BodyPublishers.ofString(write(Map.of("AuthFlow", "USER_PASSWORD_AUTH", "ClientId", clientId,
                        "AuthParameters", Map.of("USERNAME", email, "PASSWORD", password)))))
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> answer = exchange(request);
            JsonNode json = JSON.readTree(answer.body());
            return answer.statusCode() == 200 ? json.path("AuthenticationResult") : json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** /messages/new/{handle}: the recipient's public profile, fetched without a token. */
    public JsonNode newMessagePage(String handle) {
        Answer profile = send(HttpRequest.newBuilder(backend.resolve("/api/users/@" + handle + "/short")).GET(), null);
        assertEquals(200, profile.status(), profile.raw().body());
        assertEquals(Set.of("uuid", "handle", "display_name"), fields(profile.json()));
        assertEquals(handle, profile.json().path("handle").asText());
        return profile.json();
    }

    /**
     * The message form: the POST (a reply with message_group_uuid, or a first message with handle),
     * then the full reload to /messages/{message_group_uuid} that the page does at once.
     */
    public Sent send(String accessToken, Map<String, String> body) {
        preflight("POST", "/api/messages", "accept,authorization,content-type");
        HttpRequest.Builder post = HttpRequest.newBuilder(backend.resolve("/api/messages"))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body)));
        Answer created = send(post, accessToken);
        assertEquals(200, created.status(), created.raw().body());
        assertEquals(CREATED_FIELDS, fields(created.json()));
        String group = created.json().path("message_group_uuid").asText();
        assertFalse(group.isEmpty());
        return new Sent(created.json(), conversationPage(accessToken, group));
    }

    /** A posted message and the page the reload right after it showed. */
    public record Sent(JsonNode message, Page reloaded) {

        public String group() {
            return message.path("message_group_uuid").asText();
        }

        public String createdAt() {
            return message.path("created_at").asText();
        }
    }

    /** Any call as the signed-out frontend makes it: "Bearer null". The page calls res.json() on it. */
    public Answer signedOut(String path) {
        return get(path, "null");
    }

    public Answer get(String path, String accessToken) {
        return send(HttpRequest.newBuilder(backend.resolve(path)).GET(), accessToken);
    }

    /** The CORS preflight the browser sends before a call with these non-safelisted headers. */
    public void preflight(String method, String path, String requestHeaders) {
        HttpRequest request = HttpRequest.newBuilder(backend.resolve(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", FrontendSettings.ORIGIN)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", requestHeaders)
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> answer = exchange(request);
        assertEquals(200, answer.statusCode(), "preflight of " + method + " " + path);
        assertEquals(FrontendSettings.ORIGIN, answer.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        Set<String> allowedMethods = lowerCaseList(answer.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
        assertTrue(allowedMethods.contains(method.toLowerCase(Locale.ROOT)), "allowed methods " + allowedMethods);
        Set<String> allowedHeaders = lowerCaseList(answer.headers().firstValue("Access-Control-Allow-Headers").orElse(""));
        assertTrue(allowedHeaders.containsAll(lowerCaseList(requestHeaders)), "allowed headers " + allowedHeaders);
    }

    private Answer send(HttpRequest.Builder request, String accessToken) {
        request.header("Origin", FrontendSettings.ORIGIN).timeout(Duration.ofSeconds(10));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        HttpResponse<String> answer = exchange(request.build());
        assertEquals(FrontendSettings.ORIGIN, answer.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "every answer to the frontend's origin is readable by it");
        JsonNode json;
        try {
            // The page calls res.json() on every answer: an empty or non-JSON body throws there.
            json = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + answer.statusCode() + "): " + answer.body());
        }
        assertNotNull(json, "an empty body (" + answer.statusCode() + ")");
        assertFalse(json.isMissingNode(), "an empty body (" + answer.statusCode() + ")");
        return new Answer(answer.statusCode(), answer, json);
    }

    private static HttpResponse<String> exchange(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> lowerCaseList(String list) {
        Set<String> items = new TreeSet<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim().toLowerCase(Locale.ROOT));
            }
        }
        return items;
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
