package app.cruddur.messages.events;

import app.cruddur.messages.events.wire.UserEvent;
import app.cruddur.messages.events.wire.EventId;
import app.cruddur.messages.events.wire.EventKind;
import app.cruddur.messages.trace.wire.TraceParent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The open event streams of this instance, per user, fed by {@link UserChannels}.
 *
 * <p>A stream starts at a point (the event its client saw last, or the moment it opened): it first
 * subscribes to its user's channel, then replays from the table what came after its point, then
 * delivers live events, none at or before its point and none it replayed. A conversation-list entry
 * event older than one the stream already delivered for that conversation is stale and dropped.
 *
 * <p>A user has at most {@code max-streams-per-user} streams: opening one more ends the oldest. A
 * stream whose client reads too slowly to take {@code buffered-events} pending events fails (its
 * client resumes), so that it never holds up anyone else. When Redis is lost, and on shutdown,
 * every stream ends with a reason, and clients come back after the stream's retry hint.
 */
@ApplicationScoped
public class MessageEvents implements EventChannels.Receiver {

    /** Why a stream ended; the stream's last line says it. */
    public enum Ending {
        REPLACED("replaced by a newer stream of the same user"),
        UNAVAILABLE("events unavailable for a moment; reconnect"),
        SHUTTING_DOWN("this instance is shutting down; reconnect");

        private final String reason;

        Ending(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** What a stream emits besides events: first that it is subscribed, a heartbeat now and then, last why it ended. */
    public sealed interface Item permits Connected, Delivered, Heartbeat, Ended {
    }

    public record Heartbeat() implements Item {
    }

    private static final Heartbeat HEARTBEAT = new Heartbeat();

    public record Connected() implements Item {
    }

    public record Delivered(UserEvent event) implements Item {
    }

    public record Ended(Ending ending) implements Item {
    }

    /** The gauge of {@link #openStreams()}, {@code cruddur_events_streams_open} at /q/metrics (infra/ scales on it). */
    public static final String OPEN_STREAMS_METRIC = "cruddur.events.streams.open";

    /**
     * From a message's time (set as the POST stores it) to its event written to a member's open
     * stream, for each live delivery: {@code cruddur_events_delivery_latency_seconds} at /q/metrics,
     * a histogram, and its recent maximum (infra alarms on that).
     */
    public static final String DELIVERY_LATENCY_METRIC = "cruddur.events.delivery.latency";

    private final Map<UUID, Deque<EventStream>> streams = new ConcurrentHashMap<>();
    private final EventChannels fanOut;
    private final EventsConfig config;
    private final Tracer tracer;
    private final Timer deliveryLatency;

    @Inject
    public MessageEvents(UserChannels fanOut, EventsConfig config, Vertx vertx, MeterRegistry metrics, Tracer tracer) {
        this((EventChannels) fanOut, config, tracer, metrics);
        // One timer for every stream of this instance.
        vertx.setPeriodic(config.heartbeat().toMillis(), tick -> heartbeat());
        // What scaling in AWS follows besides CPU and requests: quiet streams cost memory only.
        Gauge.builder(OPEN_STREAMS_METRIC, this, MessageEvents::openStreams)
                .description("Event streams open on this instance")
                .register(metrics);
    }

    MessageEvents(EventChannels fanOut, EventsConfig config, Tracer tracer, MeterRegistry metrics) {
        this.fanOut = fanOut;
        this.config = config;
        this.tracer = tracer;
        this.deliveryLatency = Timer.builder(DELIVERY_LATENCY_METRIC)
                .description("From a message's time to its event written to an open stream of a member")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(metrics);
        fanOut.receiver(this);
    }

    /**
     * The user's events after {@code start}: {@link Connected} once the user's channel is
     * subscribed, then what {@code replay} reads (events after {@code start}, oldest first), then
     * live events, until the stream ends. Fails with {@link EventsUnavailableException} when Redis is.
     */
    public Multi<Item> follow(UUID user, EventId start, Supplier<Uni<List<UserEvent>>> replay) {
        return Multi.createFrom().<Item>emitter(emitter -> {
            if (!fanOut.available()) {
                emitter.fail(new EventsUnavailableException("Redis is unreachable"));
                return;
            }
            EventStream stream = new EventStream(user, start, emitter);
            List<EventStream> displaced = open(stream);
            emitter.onTermination(() -> close(stream));
            emitter.onRequest(requested -> stream.drain());
            displaced.forEach(old -> old.end(Ending.REPLACED));
            fanOut.subscribe(user)
                    .invoke(() -> stream.emit(new Connected()))
                    .chain(() -> replay.get())
                    .subscribe().with(stream::replayed, emitter::fail);
        }, BackPressureStrategy.ERROR);
    }

    /** Open streams of a user on this instance. */
    public int openStreams(UUID user) {
        Deque<EventStream> open = streams.get(user);
        if (open == null) {
            return 0;
        }
        synchronized (open) {
            return open.size();
        }
    }

    /** Open streams on this instance. */
    public int openStreams() {
        int count = 0;
        for (Deque<EventStream> open : streams.values()) {
            synchronized (open) {
                count += open.size();
            }
        }
        return count;
    }

    @Override
    public void received(UUID user, UserEvent event) {
        Deque<EventStream> open = streams.get(user);
        if (open == null) {
            return;
        }
        List<EventStream> targets;
        synchronized (open) {
            targets = List.copyOf(open);
        }
        Optional<SpanContext> trace = TraceParent.parse(event.traceParent());
        for (EventStream stream : targets) {
            if (trace.isEmpty()) {
                stream.live(event);
                continue;
            }
            // Each stream's delivery, a part of the trace that published the event.
            Span delivery = tracer.spanBuilder("deliver " + event.name()).setSpanKind(SpanKind.CONSUMER)
                    .setParent(Context.root().with(Span.wrap(trace.get())))
                    .setAttribute("messaging.system", "redis")
                    .setAttribute("cruddur.event_id", event.id().format())
                    .startSpan();
            try (Scope ignored = delivery.makeCurrent()) {
                stream.live(event);
            } finally {
                delivery.end();
            }
        }
    }

    /** A comment on every open stream, so that proxies and the load balancer keep idle ones open. */
    void heartbeat() {
        for (Deque<EventStream> open : streams.values()) {
            List<EventStream> targets;
            synchronized (open) {
                targets = List.copyOf(open);
            }
            targets.forEach(EventStream::beat);
        }
    }

    @Override
    public void unavailable() {
        endAll(Ending.UNAVAILABLE);
    }

    /**
     * When shutdown begins (its delay, {@code quarkus.shutdown.delay}, leaves the time to write the
     * last line before the HTTP server stops): every stream ends with a hint to reconnect, which
     * the load balancer sends to another task.
     */
    void shutdownBegins(@Observes ShutdownDelayInitiatedEvent event) {
        endAll(Ending.SHUTTING_DOWN);
    }

    /** Without a shutdown delay, the same as late as it can be. */
    void shutdown(@Observes @Priority(1) ShutdownEvent event) {
        endAll(Ending.SHUTTING_DOWN);
    }

    private void endAll(Ending ending) {
        List<EventStream> all = new ArrayList<>();
        for (Deque<EventStream> open : streams.values()) {
            synchronized (open) {
                all.addAll(open);
            }
        }
        all.forEach(stream -> stream.end(ending));
    }

    /** Registers a stream; returns the oldest streams it displaces beyond the limit. */
    private List<EventStream> open(EventStream stream) {
        Deque<EventStream> open = streams.computeIfAbsent(stream.user, u -> new ArrayDeque<>());
        synchronized (open) {
            open.addLast(stream);
            List<EventStream> displaced = new ArrayList<>();
            while (open.size() > config.maxStreamsPerUser()) {
                displaced.add(open.removeFirst());
            }
            return displaced;
        }
    }

    private void close(EventStream stream) {
        streams.computeIfPresent(stream.user, (u, open) -> {
            synchronized (open) {
                open.remove(stream);
                if (!open.isEmpty()) {
                    return open;
                }
            }
            fanOut.unsubscribe(u);
            return null;
        });
    }

    /** One open stream: its start, what it replayed, and the live events that wait for the replay. */
    private final class EventStream {
        private final UUID user;
        private final EventId start;
        private final MultiEmitter<? super Item> emitter;
        private final Map<UUID, EventId> lastEntry = new HashMap<>();
        private Set<EventId> replayed = Set.of();
        private Deque<UserEvent> waiting = new ArrayDeque<>();
        /** What the client has not asked for yet; made when first needed, as most streams never need it. */
        private Deque<Item> unread;
        private boolean ended;

        EventStream(UUID user, EventId start, MultiEmitter<? super Item> emitter) {
            this.user = user;
            this.start = start;
            this.emitter = emitter;
        }

        /** Emits, or keeps the item until the client asks for it; one more than {@code buffered-events} ends the stream. */
        synchronized void emit(Item item) {
            if (ended) {
                return;
            }
            if ((unread == null || unread.isEmpty()) && emitter.requested() > 0) {
                emitter.emit(item);
                return;
            }
            if (unread == null) {
                unread = new ArrayDeque<>();
            }
            if (unread.size() >= config.bufferedEvents()) {
                ended = true;
                unread = null;
                emitter.fail(new BackPressureFailure("the client left " + config.bufferedEvents() + " events unread"));
                return;
            }
            unread.add(item);
        }

        /** The client asked for more: what it has not read, in order. */
        synchronized void drain() {
            while (!ended && unread != null && !unread.isEmpty() && emitter.requested() > 0) {
                emitter.emit(unread.poll());
            }
        }

        /** A heartbeat, unless the client has not read what came before it. */
        synchronized void beat() {
            if (!ended && (unread == null || unread.isEmpty()) && emitter.requested() > 0) {
                emitter.emit(HEARTBEAT);
            }
        }

        synchronized void replayed(List<UserEvent> events) {
            Set<EventId> ids = new HashSet<>();
            for (UserEvent event : events) {
                ids.add(event.id());
                deliver(event);
            }
            replayed = ids;
            Deque<UserEvent> live = waiting;
            waiting = null;
            for (UserEvent event : live) {
                live(event);
            }
        }

        synchronized void live(UserEvent event) {
            if (ended || !event.id().isAfter(start) || replayed.contains(event.id())) {
                return;
            }
            if (waiting != null) {
                if (waiting.size() >= config.bufferedEvents()) {
                    ended = true;
                    emitter.fail(new BackPressureFailure("too many events while replaying"));
                    return;
                }
                waiting.add(event);
                return;
            }
            deliver(event);
            if (event.kind() == EventKind.MESSAGE) {
                deliveryLatency.record(Duration.between(event.id().time(), Instant.now()));
            }
        }

        private void deliver(UserEvent event) {
            if (event.kind() == EventKind.LIST_ENTRY) {
                EventId last = lastEntry.get(event.id().conversationUuid());
                if (last != null && !event.id().isAfter(last)) {
                    return;
                }
                lastEntry.put(event.id().conversationUuid(), event.id());
            }
            emit(new Delivered(event));
        }

        synchronized void end(Ending ending) {
            if (ended) {
                return;
            }
            if (unread == null || unread.isEmpty()) {
                if (emitter.requested() > 0) {
                    emitter.emit(new Ended(ending));
                }
                ended = true;
                emitter.complete();
                return;
            }
            // Behind on reading: the reason is not worth waiting for.
            ended = true;
            unread = null;
            emitter.complete();
        }
    }
}
