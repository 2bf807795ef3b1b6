package app.cruddur.messages.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.CruddurFrontend;
import app.cruddur.messages.support.CruddurFrontend.Sent;
import app.cruddur.messages.support.EventStreamClient;
import app.cruddur.messages.support.EventStreamClient.Event;
import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.TwoInstances;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fan-out across tasks: packaged services in the prod profile on one local stack and its
 * Redis, as tasks behind a load balancer. A message posted through one instance reaches streams
 * held by another; a task that shuts down ends its streams cleanly, and they resume on another
 * task without losing what was posted meanwhile. Read receipts, edits, deletes and typing notices
 * cross instances as messages do.
 */
class EventsTwoInstancesIT {

    private static TwoInstances instances;
    private static LocalStackProcess stack;
    private static ServiceProcess first;
    private static ServiceProcess second;

    @BeforeAll
    static void twoInstances() throws Exception {
        instances = TwoInstances.start("events");
        stack = instances.stack();
        first = instances.first();
        second = instances.second();
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void aMessagePostedThroughOneInstanceReachesStreamsHeldByTheOtherOnce() throws Exception {
        Member alice = UsersTable.signUp(stack, "eva");
        Member bob = UsersTable.signUp(stack, "evb");
        try (EventStreamClient bobs = EventStreamClient.connect(events(second), bearer(bob));
             EventStreamClient alicesOnFirst = EventStreamClient.connect(events(first), bearer(alice));
             EventStreamClient alicesOnSecond = EventStreamClient.connect(events(second), bearer(alice))) {
            Sent sent = new CruddurFrontend(first.baseUri()).send(alice.token(), Map.of("message", "across", "handle", bob.handle()));
            for (EventStreamClient stream : List.of(bobs, alicesOnFirst, alicesOnSecond)) {
                List<Event> events = stream.drain(Duration.ofSeconds(2));
                assertEquals(List.of("message", "message_group"), events.stream().map(Event::name).toList(), "once each, in order");
                assertEquals(sent.message().path("uuid").asText(), events.get(0).json().path("uuid").asText());
                assertEquals(sent.group(), events.get(1).json().path("uuid").asText());
            }
            // Replies through both instances, from both members, one after another: each stream gets
            // every one once, in the conversation's order.
            List<CruddurFrontend> instances = List.of(new CruddurFrontend(first.baseUri()), new CruddurFrontend(second.baseUri()));
            List<String> posted = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Member sender = i % 3 == 0 ? bob : alice;
                String text = "reply " + i;
                instances.get(i % 2).send(sender.token(), Map.of("message", text, "message_group_uuid", sent.group()));
                posted.add(text);
            }
            for (EventStreamClient stream : List.of(bobs, alicesOnFirst, alicesOnSecond)) {
                List<String> received = stream.drain(Duration.ofSeconds(2)).stream().filter(event -> event.name().equals("message"))
                        .map(event -> event.json().path("message").asText()).toList();
                assertEquals(posted, received);
            }
        }
    }

    @Test
    void aTaskThatShutsDownEndsItsStreamsAndTheyResumeOnAnotherWithoutLoss() throws Exception {
        Member alice = UsersTable.signUp(stack, "evc");
        Member bob = UsersTable.signUp(stack, "evd");
        ServiceProcess leaving = ServiceProcess.start(Path.of("").toAbsolutePath(), stack,
                Files.createTempFile("events-leaving", ".log"), Map.of());
        CruddurFrontend one = new CruddurFrontend(first.baseUri());
        Sent opened = one.send(alice.token(), Map.of("message", "first", "handle", bob.handle()));
        String lastSeen;
        try (EventStreamClient bobs = EventStreamClient.connect(events(leaving), bearer(bob))) {
            one.send(alice.token(), Map.of("message", "seen", "message_group_uuid", opened.group()));
            List<Event> seen = bobs.drain(Duration.ofSeconds(2));
            assertEquals(List.of("message", "message_group"), seen.stream().map(Event::name).toList());
            lastSeen = seen.get(seen.size() - 1).id();

            leaving.close();
            assertTrue(bobs.ended(Duration.ofSeconds(10)), "the stream ends with the task");
            assertTrue(bobs.comments().contains(MessageEvents.Ending.SHUTTING_DOWN.reason()), bobs.comments().toString());
        }
        one.send(alice.token(), Map.of("message", "while away", "message_group_uuid", opened.group()));

        Map<String, String> resume = Map.of("Authorization", "Bearer " + bob.token(), "Last-Event-ID", lastSeen);
        try (EventStreamClient resumed = EventStreamClient.connect(events(second), resume)) {
            List<Event> missed = resumed.drain(Duration.ofSeconds(2));
            assertEquals(List.of("message", "message_group"), missed.stream().map(Event::name).toList());
            assertEquals("while away", missed.get(0).json().path("message").asText());
            one.send(alice.token(), Map.of("message", "live", "message_group_uuid", opened.group()));
            Event live = resumed.next("message", Duration.ofSeconds(5));
            assertNotNull(live);
            assertEquals("live", live.json().path("message").asText());
        }
    }

    @Test
    void readReceiptsEditsDeletesAndTypingThroughOneInstanceReachStreamsHeldByTheOther() throws Exception {
        Member alice = UsersTable.signUp(stack, "evr");
        Member bob = UsersTable.signUp(stack, "evs");
        Sent sent = new CruddurFrontend(first.baseUri()).send(alice.token(), Map.of("message", "read me", "handle", bob.handle()));
        String message = first.baseUri().resolve("/api/messages/" + sent.group() + "/" + sent.message().path("created_at").asText())
                .toString();
        try (EventStreamClient alicesOnSecond = EventStreamClient.connect(events(second), bearer(alice));
             EventStreamClient bobsOnFirst = EventStreamClient.connect(events(first), bearer(bob));
             EventStreamClient bobsOnSecond = EventStreamClient.connect(events(second), bearer(bob))) {
            // Bob reads through the first instance: alice hears it on the second, and so does bob's other tab.
            answers(200, call("PUT", first.baseUri().resolve("/api/messages/" + sent.group() + "/read_marker").toString(), bob, null));
            Event seen = alicesOnSecond.next("read", Duration.ofSeconds(5));
            assertNotNull(seen, "the shared receipt crosses instances");
            assertEquals(sent.group(), seen.json().path("message_group_uuid").asText());
            assertTrue(seen.json().path("unread").isMissingNode(), "bob's count is his own");
            for (EventStreamClient bobs : List.of(bobsOnFirst, bobsOnSecond)) {
                Event own = bobs.next("read", Duration.ofSeconds(5));
                assertNotNull(own, "bob's own tabs hear of it");
                assertEquals(0, own.json().path("unread").asInt());
            }

            // Alice edits through the second instance and deletes through the first.
            answers(200, call("PATCH", message.replace(first.baseUri().toString(), second.baseUri().toString()), alice,
                    "{\"message\":\"read me, edited\"}"));
            for (EventStreamClient bobs : List.of(bobsOnFirst, bobsOnSecond)) {
                Event updated = bobs.next("message_updated", Duration.ofSeconds(5));
                assertNotNull(updated);
                assertEquals("read me, edited", updated.json().path("message").asText(), "opened by the instance that writes it");
            }
            answers(204, call("DELETE", message, alice, null));
            for (EventStreamClient bobs : List.of(bobsOnFirst, bobsOnSecond)) {
                assertNotNull(bobs.next("message_deleted", Duration.ofSeconds(5)));
            }

            // Typing through the second instance reaches bob's streams on both.
            answers(204, call("POST", second.baseUri().resolve("/api/messages/" + sent.group() + "/typing").toString(), alice, null));
            for (EventStreamClient bobs : List.of(bobsOnFirst, bobsOnSecond)) {
                Event typing = bobs.next("typing", Duration.ofSeconds(5));
                assertNotNull(typing);
                assertEquals(alice.handle(), typing.json().path("handle").asText());
            }
        }
    }

    /** A call with the member's token; the status. */
    /** The status expected; a failure shows the answer's body (its problem code). */
    private static void answers(int status, java.net.http.HttpResponse<String> answer) {
        assertEquals(status, answer.statusCode(), answer.request().method() + " " + answer.request().uri() + ": " + answer.body());
    }

    private static java.net.http.HttpResponse<String> call(String method, String uri, Member member, String json) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + member.token())
                .timeout(Duration.ofSeconds(10));
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, java.net.http.HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static URI events(ServiceProcess service) {
        return service.baseUri().resolve("/api/events");
    }

    private static Map<String, String> bearer(Member member) {
        return Map.of("Authorization", "Bearer " + member.token());
    }
}
