package app.cruddur.messages.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.events.wire.EventId;
import app.cruddur.messages.events.MessageEvents.Delivered;
import app.cruddur.messages.events.MessageEvents.Ended;
import app.cruddur.messages.events.MessageEvents.Item;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.TracerProvider;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The delivery rules of the hub, without HTTP or Redis (the stream tests cover those): a slow stream
 * is ended and holds up no other, a replay comes before the live
 * events that arrived meanwhile, and nothing at or before a stream's start is delivered.
 */
class MessageEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID ALICE = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();
    private static final UUID GROUP = UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final EventId START = EventId.before(T0);

    /** Channels that are always up and deliver what the test hands the receiver. */
    private static final class Channels implements EventChannels {
        EventChannels.Receiver receiver;
        final Set<UUID> subscribed = new HashSet<>();

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public Uni<Void> subscribe(UUID user) {
            subscribed.add(user);
            return Uni.createFrom().voidItem();
        }

        @Override
        public void unsubscribe(UUID user) {
            subscribed.remove(user);
        }

        @Override
        public void receiver(EventChannels.Receiver receiver) {
            this.receiver = receiver;
        }

        void publish(UserEvent event, UUID... users) {
            for (UUID user : users) {
                receiver.received(user, event);
            }
        }
    }

    private final Channels channels = new Channels();
    private final MessageEvents events = new MessageEvents(channels, config(8), TracerProvider.noop().get("test"), new SimpleMeterRegistry());

    @Test
    void aStreamThatReadsNothingIsEndedWhenItsBufferIsFullAndTheOthersGetEverything() {
        AssertSubscriber<Item> slow = follow(BOB, 0);
        AssertSubscriber<Item> reading = follow(BOB, Long.MAX_VALUE);
        AssertSubscriber<Item> sender = follow(ALICE, Long.MAX_VALUE);
        assertEquals(2, events.openStreams(BOB));

        for (int i = 0; i < 10; i++) {
            channels.publish(message(i), ALICE, BOB);
        }

        slow.assertFailedWith(BackPressureFailure.class);
        assertEquals(1, events.openStreams(BOB), "the ended stream is forgotten");
        assertEquals(10, delivered(reading).size());
        assertEquals(10, delivered(sender).size());
        assertTrue(delivered(reading).get(9).data().contains("#9"), "in order");
    }

    @Test
    void aReplayComesFirstThenTheLiveEventsThatArrivedMeanwhileWithoutRepeats() {
        CompletableFuture<List<UserEvent>> replay = new CompletableFuture<>();
        AssertSubscriber<Item> stream = events.follow(BOB, START, () -> Uni.createFrom().completionStage(replay))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        channels.publish(message(2), BOB);
        channels.publish(message(3), BOB);
        assertTrue(delivered(stream).isEmpty(), "live events wait for the replay");

        replay.complete(List.of(message(1), message(2)));

        assertEquals(List.of(message(1).id(), message(2).id(), message(3).id()),
                delivered(stream).stream().map(UserEvent::id).toList());
    }

    @Test
    void nothingAtOrBeforeTheStartAndNoStaleRowIsDelivered() {
        AssertSubscriber<Item> stream = events.follow(BOB, message(5).id(), () -> Uni.createFrom().item(List.of()))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        channels.publish(message(4), BOB);
        channels.publish(message(5), BOB);
        channels.publish(entry(7), BOB);
        channels.publish(entry(6), BOB);
        channels.publish(message(6), BOB);
        assertEquals(List.of(entry(7).id(), message(6).id()), delivered(stream).stream().map(UserEvent::id).toList(),
                "the entry at 6 is older than the one at 7 already shown");
    }

    @Test
    void theSixthStreamEndsTheOldestAndAnEndedStreamIsForgotten() {
        List<AssertSubscriber<Item>> streams = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            streams.add(follow(ALICE, Long.MAX_VALUE));
        }
        streams.get(0).assertCompleted();
        Item last = streams.get(0).getItems().get(streams.get(0).getItems().size() - 1);
        assertEquals(MessageEvents.Ending.REPLACED, assertInstanceOf(Ended.class, last).ending());
        assertEquals(5, events.openStreams(ALICE));
        streams.subList(1, 6).forEach(AssertSubscriber::cancel);
        assertEquals(0, events.openStreams(ALICE));
        assertTrue(channels.subscribed.isEmpty(), "the user's channel is left with the last stream");
    }

    @Test
    void aHeartbeatReachesEveryOpenStream() {
        AssertSubscriber<Item> alices = follow(ALICE, Long.MAX_VALUE);
        AssertSubscriber<Item> bobs = follow(BOB, Long.MAX_VALUE);
        events.heartbeat();
        for (AssertSubscriber<Item> stream : List.of(alices, bobs)) {
            assertInstanceOf(MessageEvents.Heartbeat.class, stream.getItems().get(stream.getItems().size() - 1));
        }
    }

    @Test
    void whenRedisIsLostEveryStreamEndsWithTheReason() {
        AssertSubscriber<Item> stream = follow(ALICE, Long.MAX_VALUE);
        channels.receiver.unavailable();
        stream.assertCompleted();
        List<Item> items = stream.getItems();
        assertEquals(MessageEvents.Ending.UNAVAILABLE, assertInstanceOf(Ended.class, items.get(items.size() - 1)).ending());
    }

    private AssertSubscriber<Item> follow(UUID user, long requested) {
        return events.follow(user, START, () -> Uni.createFrom().item(List.of()))
                .subscribe().withSubscriber(AssertSubscriber.create(requested));
    }

    private static List<UserEvent> delivered(AssertSubscriber<Item> stream) {
        return stream.getItems().stream().filter(Delivered.class::isInstance).map(item -> ((Delivered) item).event()).toList();
    }

    private static UserEvent message(int second) {
        return UserEvent.message(new MessageItem(GROUP, T0.plusSeconds(second), new UUID(0, second), "#" + second,
                ALICE, "Alice", "alice"), JSON);
    }

    private static UserEvent entry(int second) {
        return UserEvent.listEntry(new ListEntryItem(BOB, T0.plusSeconds(second), GROUP, "#" + second, ALICE, "Alice", "alice"), JSON);
    }

    static EventsConfig config(int buffered) {
        return new EventsConfig() {
            @Override
            public int maxStreamsPerUser() {
                return 5;
            }

            @Override
            public int bufferedEvents() {
                return buffered;
            }

            @Override
            public Duration heartbeat() {
                return Duration.ofSeconds(15);
            }

            @Override
            public Duration retry() {
                return Duration.ofSeconds(3);
            }

            @Override
            public Duration resumeWindow() {
                return Duration.ofHours(24);
            }

            @Override
            public Duration ticketValidity() {
                return Duration.ofSeconds(30);
            }


            @Override
            public Duration duplicateWindow() {
                return Duration.ofMinutes(10);
            }
        };
    }
}
