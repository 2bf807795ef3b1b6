package app.cruddur.messages.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs asynchronous work inside a span, for work that no request started (the stream's consumer):
 * on a Vert.x context of its own (a duplicated one, where Quarkus keeps the current trace of
 * reactive code), with the span current while the work starts, ended when the work ends.
 */
public final class Spans {

    private Spans() {
    }

    /**
     * Subscribes to {@code work} with {@code span} current (the calls it starts become its
     * children) and ends the span with its outcome: its failure is recorded as the span's error, a
     * cancellation (the work is then cancelled too) as an event.
     */
    public static <T> Uni<T> within(Vertx vertx, Span span, Supplier<Uni<T>> work) {
        return Uni.createFrom().<T>emitter(emitter -> {
            AtomicBoolean ended = new AtomicBoolean();
            AtomicReference<Cancellable> running = new AtomicReference<>();
            emitter.onTermination(() -> {
                if (ended.compareAndSet(false, true)) {
                    Cancellable subscription = running.get();
                    if (subscription != null) {
                        subscription.cancel();
                    }
                    span.addEvent("cancelled");
                    span.end();
                }
            });
            VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()).runOnContext(ignored -> {
                if (ended.get()) {
                    return;   // cancelled before it started
                }
                try (Scope current = Context.current().with(span).makeCurrent()) {
                    running.set(work.get().subscribe().with(item -> {
                        if (ended.compareAndSet(false, true)) {
                            span.end();
                        }
                        emitter.complete(item);
                    }, failure -> {
                        if (ended.compareAndSet(false, true)) {
                            failed(span, failure);
                        }
                        emitter.fail(failure);
                    }));
                    if (ended.get()) {
                        running.get().cancel();   // cancelled while it was starting (no-op once it is done)
                    }
                } catch (RuntimeException e) {
                    if (ended.compareAndSet(false, true)) {
                        failed(span, e);
                    }
                    emitter.fail(e);
                }
            });
        });
    }

    private static void failed(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR);
        span.end();
    }
}
