package app.cruddur.messages.projection.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A poll that never completes is given up, cancelled and named; one that completes is untouched. */
class PollDeadlineTest {

    private static final Vertx VERTX = Vertx.vertx();

    @AfterAll
    static void close() {
        VERTX.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aHungPollFailsNamingItsStepAndIsCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean released = new AtomicBoolean();
        Uni<Boolean> never = Uni.createFrom().<Boolean>nothing().onCancellation().invoke(() -> cancelled.set(true));

        ExecutionException failure = assertThrows(ExecutionException.class, () -> PollDeadline
                .bound(never, Duration.ofMillis(100), () -> "applying 3 records of shard s-1", VERTX)
                .eventually(() -> released.set(true))
                .subscribeAsCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));

        PollDeadline.PollGivenUp givenUp = assertInstanceOf(PollDeadline.PollGivenUp.class, failure.getCause());
        assertEquals("no poll completed within 100 ms; it was applying 3 records of shard s-1", givenUp.getMessage());
        assertTrue(cancelled.get(), "the hung poll is cancelled");
        assertTrue(released.get(), "what follows a poll (the consumer's one-poller flag) is released");
    }

    @Test
    void aPollThatFailsInTimeKeepsItsFailure() {
        Uni<Boolean> failing = Uni.createFrom().failure(new IllegalStateException("dynamodb is unavailable"));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> PollDeadline
                .bound(failing, Duration.ofSeconds(5), () -> "reading", VERTX)
                .subscribeAsCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals("dynamodb is unavailable", assertInstanceOf(IllegalStateException.class, failure.getCause()).getMessage());
    }

    @Test
    void aPollThatCompletesInTimeKeepsItsOutcome() throws Exception {
        Uni<Boolean> quick = Uni.createFrom().item(true).onItem().delayIt().by(Duration.ofMillis(20));
        assertEquals(true, PollDeadline.bound(quick, Duration.ofSeconds(5), () -> "reading", VERTX)
                .subscribeAsCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    }
}
