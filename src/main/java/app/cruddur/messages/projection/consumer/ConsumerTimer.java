package app.cruddur.messages.projection.consumer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The consumer's clock: a Vert.x timer on the consumer's own instance, not Mutiny's shared
 * scheduler, as a Uni that completes when it fires. Cancelling the Uni cancels the timer.
 */
final class ConsumerTimer {

    private ConsumerTimer() {
    }

    /** Completes after {@code delay} (at once when it is zero). */
    static Uni<Void> after(Vertx vertx, Duration delay) {
        if (delay.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> {
            // Vert.x takes 1 ms as its shortest timer.
            long timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> emitter.complete(null));
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }
}
