package app.cruddur.messages.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.table.MessageItem;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The delivery rules of MessageEvents, without HTTP: a slow stream is ended, and it holds up no other. */
class MessageEventsTest {

    private static final UUID ALICE = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();

    private final MessageEvents events = new MessageEvents(new EventsConfig() {
        @Override
        public int maxStreamsPerUser() {
            return 5;
        }

        @Override
        public int bufferedEvents() {
            return 8;
        }

        @Override
        public Duration heartbeat() {
            return Duration.ofSeconds(15);
        }

        @Override
        public Duration retry() {
            return Duration.ofSeconds(3);
        }
    });

    @Test
    void aStreamThatReadsNothingIsEndedWhenItsBufferIsFullAndTheOthersGetEverything() {
        AssertSubscriber<MessageItem> slow = events.follow(BOB).subscribe().withSubscriber(AssertSubscriber.create(0));
        AssertSubscriber<MessageItem> reading = events.follow(BOB).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        AssertSubscriber<MessageItem> sender = events.follow(ALICE).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertEquals(2, events.openStreams(BOB));

        for (int i = 0; i < 9; i++) {
            events.delivered(message(i), Set.of(ALICE, BOB));
        }

        slow.assertFailedWith(io.smallrye.mutiny.subscription.BackPressureFailure.class);
        assertEquals(1, events.openStreams(BOB), "the ended stream is forgotten");
        assertEquals(9, reading.getItems().size());
        assertEquals(9, sender.getItems().size());
        assertEquals("#8", reading.getItems().get(8).message(), "in order");
    }

    @Test
    void aStreamThatEndsIsForgotten() {
        AssertSubscriber<MessageItem> stream = events.follow(ALICE).subscribe().withSubscriber(AssertSubscriber.create(1));
        assertEquals(1, events.openStreams(ALICE));
        stream.cancel();
        assertEquals(0, events.openStreams(ALICE));
        events.delivered(message(0), Set.of(ALICE));
        assertTrue(stream.getItems().isEmpty());
    }

    private static MessageItem message(int number) {
        return new MessageItem(UUID.randomUUID(), Instant.parse("2026-12-01T10:00:00Z").plusSeconds(number), UUID.randomUUID(),
                "#" + number, ALICE, "Alice", "alice");
    }
}
