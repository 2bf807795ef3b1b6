package app.cruddur.messages.conversation.repository;

import app.cruddur.messages.table.MessageItem;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * One list-entry move at a time per conversation in this service instance. A POST whose
 * conversation is already being moved waits for that move; when it ends, one move to the newest
 * of the messages that waited answers all of them. Concurrent posts into one conversation then
 * cost about one move per round trip instead of one each, and stop cancelling each other's
 * transactions. Moves from other instances (and the projection) still race, which the moves
 * themselves settle.
 */
public final class CoalescedMoves {

    private final BiFunction<MessageItem, Set<UUID>, Uni<Void>> mover;
    private final Map<UUID, Conversation> conversations = new ConcurrentHashMap<>();

    /** @param mover moves a conversation's list entries to a message (completes when they show it or later) */
    public CoalescedMoves(BiFunction<MessageItem, Set<UUID>, Uni<Void>> mover) {
        this.mover = mover;
    }

    /** Completes when both members' rows show the message or a newer one. */
    public Uni<Void> show(MessageItem message, Set<UUID> members) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        UUID group = message.conversationUuid();
        Conversation conversation;
        boolean start;
        while (true) {
            conversation = conversations.computeIfAbsent(group, g -> new Conversation());
            synchronized (conversation) {
                if (conversation.retired) {
                    continue;
                }
                conversation.waiting.add(new Waiter(message, done));
                start = !conversation.moving;
                conversation.moving = true;
                break;
            }
        }
        if (start) {
            next(group, conversation, members);
        }
        return Uni.createFrom().completionStage(done);
    }

    /** Conversations with a move in flight or waiting: none is kept once idle (the tests check it). */
    int active() {
        return conversations.size();
    }

    private void next(UUID group, Conversation conversation, Set<UUID> members) {
        MessageItem newest;
        synchronized (conversation) {
            if (conversation.waiting.isEmpty()) {
                conversation.moving = false;
                conversation.retired = true;
                conversations.remove(group, conversation);
                return;
            }
            newest = conversation.waiting.get(0).message();
            for (Waiter waiter : conversation.waiting) {
                if (waiter.message().createdAt().isAfter(newest.createdAt())) {
                    newest = waiter.message();
                }
            }
        }
        MessageItem target = newest;
        mover.apply(target, members).subscribe().with(
                ok -> finish(group, conversation, members, target.createdAt(), null),
                failure -> finish(group, conversation, members, target.createdAt(), failure));
    }

    /** Answers every waiter the move to {@code at} covered, then starts the next move if any are left. */
    private void finish(UUID group, Conversation conversation, Set<UUID> members, Instant at, Throwable failure) {
        List<CompletableFuture<Void>> covered = new ArrayList<>();
        synchronized (conversation) {
            Iterator<Waiter> waiters = conversation.waiting.iterator();
            while (waiters.hasNext()) {
                Waiter waiter = waiters.next();
                if (!waiter.message().createdAt().isAfter(at)) {
                    covered.add(waiter.done());
                    waiters.remove();
                }
            }
        }
        for (CompletableFuture<Void> done : covered) {
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        }
        next(group, conversation, members);
    }

    private record Waiter(MessageItem message, CompletableFuture<Void> done) {
    }

    private static final class Conversation {
        final List<Waiter> waiting = new ArrayList<>();
        boolean moving;
        /** Removed from the map: a new arrival makes a new entry. */
        boolean retired;
    }
}
