package app.cruddur.messages.events;

import app.cruddur.messages.table.MessageItem;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open event streams of this instance, per user, and the delivery of a stored message to every
 * open stream of both members. A user has at most {@code maxStreamsPerUser} streams: opening one
 * more ends the oldest. A stream whose client reads too slowly to take {@code bufferedEvents}
 * pending events is ended (its client resumes), so that it never holds up anyone else.
 */
@ApplicationScoped
public class MessageEvents {

    private final Map<UUID, Deque<MultiEmitter<? super MessageItem>>> streams = new ConcurrentHashMap<>();
    private final EventsConfig config;

    public MessageEvents(EventsConfig config) {
        this.config = config;
    }

    /** The messages of the user's conversations, from now on, until the stream ends. */
    public Multi<MessageItem> follow(UUID user) {
        return Multi.createFrom().<MessageItem>emitter(emitter -> {
                    List<MultiEmitter<? super MessageItem>> ended = open(user, emitter);
                    emitter.onTermination(() -> close(user, emitter));
                    ended.forEach(MultiEmitter::complete);
                }, BackPressureStrategy.ERROR)
                .onOverflow().buffer(config.bufferedEvents());
    }

    /** Delivers a stored message to every open stream of its members on this instance. */
    public void delivered(MessageItem message, Set<UUID> members) {
        for (UUID member : members) {
            Deque<MultiEmitter<? super MessageItem>> open = streams.get(member);
            if (open == null) {
                continue;
            }
            List<MultiEmitter<? super MessageItem>> targets;
            synchronized (open) {
                targets = List.copyOf(open);
            }
            for (MultiEmitter<? super MessageItem> stream : targets) {
                stream.emit(message);
            }
        }
    }

    /** Open streams of a user on this instance. */
    public int openStreams(UUID user) {
        Deque<MultiEmitter<? super MessageItem>> open = streams.get(user);
        if (open == null) {
            return 0;
        }
        synchronized (open) {
            return open.size();
        }
    }

    /** Registers a stream; returns the oldest streams it displaces beyond the limit. */
    private List<MultiEmitter<? super MessageItem>> open(UUID user, MultiEmitter<? super MessageItem> emitter) {
        Deque<MultiEmitter<? super MessageItem>> open = streams.computeIfAbsent(user, u -> new ArrayDeque<>());
        synchronized (open) {
            open.addLast(emitter);
            Deque<MultiEmitter<? super MessageItem>> ended = new ArrayDeque<>();
            while (open.size() > config.maxStreamsPerUser()) {
                ended.add(open.removeFirst());
            }
            return List.copyOf(ended);
        }
    }

    private void close(UUID user, MultiEmitter<? super MessageItem> emitter) {
        streams.computeIfPresent(user, (u, open) -> {
            synchronized (open) {
                open.remove(emitter);
                return open.isEmpty() ? null : open;
            }
        });
    }
}
