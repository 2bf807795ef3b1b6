package app.cruddur.messages.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds, for state that other parts of the service update asynchronously. */
public final class Await {

    private Await() {
    }

    public static void until(Duration deadline, BooleanSupplier condition, Supplier<String> onTimeout) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            pause();
        }
        if (!condition.getAsBoolean()) {
            fail("not within " + deadline + ": " + onTimeout.get());
        }
    }

    /** The pause between two reads of a poll loop, not a wait for a fixed time. */
    public static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
