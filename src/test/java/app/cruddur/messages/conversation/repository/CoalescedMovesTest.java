package app.cruddur.messages.conversation.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.table.MessageItem;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One move at a time per conversation, and one move for all the messages that waited for it. */
class CoalescedMovesTest {

    private static final UUID GROUP = UUID.randomUUID();
    private static final Set<UUID> MEMBERS = Set.of(UUID.randomUUID(), UUID.randomUUID());
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** Moves as they were asked for; each completes when the test says so. */
    private final List<MessageItem> moved = new ArrayList<>();
    private final List<CompletableFuture<Void>> pending = new ArrayList<>();
    private final CoalescedMoves moves = new CoalescedMoves((message, members) -> {
        moved.add(message);
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(done);
        return Uni.createFrom().completionStage(done);
    });

    @Test
    void aMoveWithNobodyElseWaitingIsOneMove() {
        CompletableFuture<Void> answered = show(message(GROUP, 1));
        assertEquals(1, moved.size());
        assertFalse(answered.isDone());
        pending.get(0).complete(null);
        assertTrue(answered.isDone() && !answered.isCompletedExceptionally());
        assertEquals(0, moves.active(), "nothing is kept once the conversation is idle");
    }

    @Test
    void messagesThatArriveDuringAMoveShareOneMoveToTheNewestOfThem() {
        CompletableFuture<Void> first = show(message(GROUP, 1));
        CompletableFuture<Void> second = show(message(GROUP, 3));
        CompletableFuture<Void> third = show(message(GROUP, 2));
        assertEquals(1, moved.size(), "one move in flight per conversation");

        pending.get(0).complete(null);
        assertTrue(first.isDone());
        assertFalse(second.isDone() || third.isDone(), "the first move did not reach them");
        assertEquals(2, moved.size());
        assertEquals(T0.plusSeconds(3), moved.get(1).createdAt(), "the next move goes to the newest waiting message");

        pending.get(1).complete(null);
        assertTrue(second.isDone() && third.isDone());
        assertEquals(2, moved.size());
    }

    @Test
    void aMessageOlderThanTheMoveInFlightIsAnsweredByIt() {
        CompletableFuture<Void> newer = show(message(GROUP, 5));
        CompletableFuture<Void> older = show(message(GROUP, 4));
        pending.get(0).complete(null);
        assertTrue(newer.isDone() && older.isDone());
        assertEquals(1, moved.size());
    }

    @Test
    void aFailedMoveFailsTheMessagesItWasForAndTheRestMoveOn() {
        CompletableFuture<Void> first = show(message(GROUP, 1));
        CompletableFuture<Void> later = show(message(GROUP, 2));
        IllegalStateException failure = new IllegalStateException("not settled");
        pending.get(0).completeExceptionally(failure);
        assertTrue(first.isCompletedExceptionally());
        assertSame(failure, first.handle((ok, e) -> e).join());
        assertFalse(later.isDone());
        pending.get(1).complete(null);
        assertTrue(later.isDone() && !later.isCompletedExceptionally());
    }

    @Test
    void conversationsDoNotWaitForEachOther() {
        UUID other = UUID.randomUUID();
        show(message(GROUP, 1));
        show(message(other, 1));
        assertEquals(2, moved.size());
    }

    private CompletableFuture<Void> show(MessageItem message) {
        return moves.show(message, MEMBERS).subscribeAsCompletionStage();
    }

    private static MessageItem message(UUID group, int second) {
        return new MessageItem(group, T0.plusSeconds(second), UUID.randomUUID(), "m" + second, UUID.randomUUID(), "A", "a");
    }
}
