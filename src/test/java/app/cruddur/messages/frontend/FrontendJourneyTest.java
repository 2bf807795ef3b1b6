package app.cruddur.messages.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.projection.consumer.StreamConsumer;
import app.cruddur.messages.seed.ConversationSeeder;
import app.cruddur.messages.seed.SeedConversation;
import app.cruddur.messages.seed.SeedUsers;
import app.cruddur.messages.support.CruddurFrontend;
import app.cruddur.messages.support.CruddurFrontend.Answer;
import app.cruddur.messages.support.CruddurFrontend.Page;
import app.cruddur.messages.support.CruddurFrontend.Sent;
import app.cruddur.messages.support.FrontendSettings;
import app.cruddur.messages.support.LocalStackTestResource;
import app.cruddur.messages.support.Race;
import app.cruddur.messages.support.TestUsers;
import app.cruddur.messages.support.TestUsers.TestUser;
import app.cruddur.messages.support.Tokens;
import app.cruddur.messages.table.wiring.TableConfig;
import app.cruddur.messages.user.UserRepository;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The Cruddur frontend's own sequence of calls, page by page, with its headers, against the
 * service and the real local stack. The in-service stream consumer is stopped where a test checks
 * the conversation list right after a POST: the list must be current without the projection.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class FrontendJourneyTest {

    private static final String SEED_GROUP = SeedConversation.MESSAGE_GROUP_UUID.toString();

    @Inject
    UserRepository users;
    @Inject
    ConversationSeeder seeder;
    @Inject
    StreamConsumer consumer;
    @Inject
    TableConfig tableConfig;

    @TestHTTPResource("/")
    URI backend;

    @AfterEach
    void consumerRunsAgain() {
        consumer.start();
    }

    @Test
    void aSeedUserSignsInWithTheirEmailAndTheSeedPasswordAndReadsTheSeededConversation() {
        LocalStackProcess stack = LocalStackProcess.current();
        seedUsersAndConversation(stack);
        assertEquals(FrontendSettings.USER_POOL_ID, stack.coordinates().get("cognitoUserPoolId"), "the README's pool id");
        assertEquals(FrontendSettings.CLIENT_ID, stack.cognitoClientId(), "the README's client id");

        JsonNode session = CruddurFrontend.signIn(stack.cognitoEndpoint(), FrontendSettings.CLIENT_ID,
                SeedUsers.ANDREW_BROWN.email(), LocalStackProcess.LOCAL_PASSWORD);
        String accessToken = session.path("AccessToken").asText();
        assertFalse(accessToken.isEmpty(), session.toString());

        Page page = new CruddurFrontend(backend).conversationPage(accessToken, SEED_GROUP);
        JsonNode entry = page.group(SEED_GROUP);
        assertEquals("bayko", entry.path("handle").asText());
        assertEquals("Andrew Bayko", entry.path("display_name").asText());
        assertEquals(20, page.messages().size());
        for (int i = 1; i < page.messages().size(); i++) {
            assertTrue(page.messages().get(i - 1).path("created_at").asText()
                    .compareTo(page.messages().get(i).path("created_at").asText()) <= 0, "oldest first");
        }
        assertEquals(entry.path("message").asText(), page.messages().get(19).path("message").asText());
    }

    @Test
    void thePoolSignsInByEmailNotByHandleAsCruddursDoes() {
        LocalStackProcess stack = LocalStackProcess.current();
        TestUser carol = TestUsers.register(users, "carol");
        JsonNode byEmail = CruddurFrontend.signIn(stack.cognitoEndpoint(), stack.cognitoClientId(), Tokens.email(carol.handle()),
                LocalStackProcess.LOCAL_PASSWORD);
        assertFalse(byEmail.path("AccessToken").asText().isEmpty(), byEmail.toString());
        JsonNode byHandle = CruddurFrontend.signIn(stack.cognitoEndpoint(), stack.cognitoClientId(), carol.handle(),
                LocalStackProcess.LOCAL_PASSWORD);
        assertEquals("NotAuthorizedException", byHandle.path("__type").asText(), byHandle.toString());
    }

    @Test
    void everyPageWorksAndTheListShowsWhatWasJustSentWithoutTheStreamProjection() {
        consumer.stop();
        TestUser alice = TestUsers.register(users, "alice");
        TestUser bob = TestUsers.register(users, "bob");
        CruddurFrontend frontend = new CruddurFrontend(backend);

        // /messages/new/{handle}: the recipient, fetched without a token.
        JsonNode recipient = frontend.newMessagePage(bob.handle());
        assertEquals(bob.uuid().toString(), recipient.path("uuid").asText());
        assertEquals(bob.displayName(), recipient.path("display_name").asText());

        // The first message, then the reload: both lists hold the new conversation.
        Sent first = frontend.send(alice.token(), Map.of("message", "Hi Bob", "handle", bob.handle()));
        CruddurFrontend.assertListShows(first.reloaded().groups(), first.message());
        assertEquals(bob.handle(), first.reloaded().group(first.group()).path("handle").asText());
        CruddurFrontend.assertListShows(frontend.messageGroupsPage(bob.token()), first.message());

        // Replies in both directions: each reload, and the other member's list, show the reply.
        for (int i = 0; i < 10; i++) {
            TestUser sender = i % 2 == 0 ? bob : alice;
            TestUser other = i % 2 == 0 ? alice : bob;
            Sent reply = frontend.send(sender.token(), Map.of("message", "reply " + i, "message_group_uuid", first.group()));
            CruddurFrontend.assertListShows(reply.reloaded().groups(), reply.message());
            assertEquals(reply.message().path("uuid").asText(),
                    reply.reloaded().messages().get(reply.reloaded().messages().size() - 1).path("uuid").asText());
            CruddurFrontend.assertListShows(frontend.messageGroupsPage(other.token()), reply.message());
        }

        // A click on a message goes to /messages/@{handle}: a problem the page can parse.
        Answer byHandle = frontend.get("/api/messages/@" + bob.handle(), alice.token());
        assertEquals(404, byHandle.status());
        assertEquals("message_group_not_found", byHandle.json().path("code").asText());

        // Signed out: "Bearer null" on every call.
        for (String path : List.of("/api/message_groups", "/api/messages/" + first.group())) {
            Answer signedOut = frontend.signedOut(path);
            assertEquals(401, signedOut.status());
            assertEquals("invalid_token", signedOut.json().path("code").asText());
            assertTrue(signedOut.header("WWW-Authenticate").contains("error=\"invalid_token\""));
        }
    }

    @Test
    void theListIsCurrentForBothMembersRightAfterEveryPostUnderConcurrentSenders() throws Exception {
        consumer.stop();
        TestUser alice = TestUsers.register(users, "race");
        TestUser bob = TestUsers.register(users, "race");
        CruddurFrontend frontend = new CruddurFrontend(backend);
        String group = frontend.send(alice.token(), Map.of("message", "open", "handle", bob.handle())).group();
        alice.token();
        bob.token();

        List<Integer> checked = Race.of(4, i -> {
            TestUser sender = i % 2 == 0 ? alice : bob;
            TestUser other = i % 2 == 0 ? bob : alice;
            for (int n = 0; n < 6; n++) {
                Sent sent = frontend.send(sender.token(), Map.of("message", "c" + i + "-" + n, "message_group_uuid", group));
                CruddurFrontend.assertListShows(sent.reloaded().groups(), sent.message());
                CruddurFrontend.assertListShows(frontend.messageGroupsPage(other.token()), sent.message());
            }
            return 6;
        });
        assertEquals(24, checked.stream().mapToInt(Integer::intValue).sum());
        for (TestUser member : List.of(alice, bob)) {
            long rows = frontend.messageGroupsPage(member.token()).stream().filter(g -> g.path("uuid").asText().equals(group)).count();
            assertEquals(1, rows, "one row per conversation");
        }
    }

    @Test
    void theSeedsOwnScriptsWithOtherCredentialsAndRegionSeeTheTableAndTheSeededConversation() {
        LocalStackProcess stack = LocalStackProcess.current();
        seedUsersAndConversation(stack);
        try (DynamoDbAsyncClient developer = DynamoDbAsyncClient.builder()
                .endpointOverride(URI.create(stack.dynamodbEndpoint()))
                .region(Region.EU_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIADEVELOPER0000001", "other")))
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
                .build()) {
            assertTrue(developer.listTables().join().tableNames().contains(tableConfig.name()));
            QueryResponse newest = developer.query(q -> q.tableName(tableConfig.name())
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("MSG#" + SEED_GROUP)))
                    .scanIndexForward(false)
                    .limit(20)).join();
            assertEquals(20, newest.count());
            // The seed's own get-conversation query: this year's newest 20, newest first.
            String year = Integer.toString(Year.now(ZoneOffset.UTC).getValue());
            QueryResponse thisYear = developer.query(q -> q.tableName(tableConfig.name())
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :year)")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("MSG#" + SEED_GROUP),
                            ":year", AttributeValue.fromS(year)))
                    .scanIndexForward(false)
                    .limit(20)).join();
            assertTrue(thisYear.count() >= 1, "the seed ends now");
            assertEquals(newest.items().get(0), thisYear.items().get(0));
            QueryResponse groups = developer.query(q -> q.tableName(tableConfig.name())
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("GRP#" + SeedUsers.ANDREW_BROWN.uuid())))).join();
            assertTrue(groups.items().stream().anyMatch(row -> row.get("message_group_uuid").s().equals(SEED_GROUP)));
        }
    }

    /** What dev mode seeds: the seed users in the pool and in PostgreSQL, linked, and the conversation. */
    private void seedUsersAndConversation(LocalStackProcess stack) {
        for (SeedUsers.SeedUser seed : SeedUsers.ALL) {
            String sub = stack.ensureCognitoUser(seed.handle(), seed.email(), seed.displayName());
            users.upsert(seed.uuid(), seed.handle(), seed.displayName(), seed.email(), sub).await().atMost(Duration.ofSeconds(10));
        }
        seeder.seed(Instant.now()).await().atMost(Duration.ofSeconds(30));
    }
}
