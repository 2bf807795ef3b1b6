package app.cruddur.messages.projection.consumer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The consumer's backstop: a poll that has not completed by its deadline is cancelled and fails,
 * naming the step it was waiting on. Every call a poll makes has a deadline of its own; this one
 * covers what none of them does (a hop between threads whose task never runs, a bug of ours), so
 * that nothing can stop the consumer without a trace in the log. Its clock is the consumer's own
 * ({@link ConsumerTimer}), as the pauses' is.
 */
final class PollDeadline {

    private PollDeadline() {
    }

    static <T> Uni<T> bound(Uni<T> poll, Duration deadline, Supplier<String> step, Vertx vertx) {
        Uni<T> givenUp = ConsumerTimer.after(vertx, deadline)
                .onItem().transformToUni(fired -> Uni.createFrom().failure(new PollGivenUp(deadline, step.get())));
        // The first to end wins; the other is cancelled: a poll given up, or the deadline's timer.
        return Uni.combine().any().of(poll, givenUp);
    }

    /** A poll that took longer than its deadline; the consumer logs it, counts it and polls again. */
    static final class PollGivenUp extends TimeoutException {

        PollGivenUp(Duration deadline, String step) {
            super("no poll completed within " + deadline.toMillis() + " ms; it was " + step);
        }
    }
}
