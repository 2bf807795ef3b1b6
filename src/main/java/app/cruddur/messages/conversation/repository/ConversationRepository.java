package app.cruddur.messages.conversation.repository;

import app.cruddur.messages.conversation.ConversationConfig;
import app.cruddur.messages.table.DynamoCalls;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.projection.ListEntryMoves;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.NewConversation;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.TableClient.Outcome;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.table.Timestamps;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The conversation feature's rules for writing to the table (the requests themselves are the
 * items' own: {@link MessageItem#put}, {@link NewConversation#create}): a message whose microsecond is taken moves to the next free
 * one, a conflicting transaction is tried again after a pause, and either gives up with a 503
 * ({@link ContentionException}) after {@value #MAX_ATTEMPTS} tries.
 */
@ApplicationScoped
public class ConversationRepository {

    /** Sort-key collisions and transaction conflicts are retried this often before giving up with a 503. */
    static final int MAX_ATTEMPTS = 8;

    private final TableClient table;
    private final CoalescedMoves moves;
    private final Duration listsDeadline;
    private final Clock clock;

    public ConversationRepository(TableClient table, ConversationConfig config, Clock clock, TableChanges changes) {
        this.table = table;
        ListEntryMoves entries = new ListEntryMoves(table, changes);
        this.moves = new CoalescedMoves((message, members) -> entries.show(message, Optional.of(members)));
        this.listsDeadline = config.message().listsDeadline();
        this.clock = clock;
    }


    /**
     * Moves both members' list entries to a stored message (see {@link ListEntryMoves}), one move at a
     * time per conversation in this instance ({@link CoalescedMoves}); when this succeeds, every
     * later read of pattern A shows the message or a newer one. When they do not within
     * {@code cruddur.messages.message.lists-deadline}, or DynamoDB fails meanwhile, this fails with
     * {@link ListsNotUpdatedException}; the move goes on, and the projection makes it in any case.
     */
    public Uni<Void> showInLists(MessageItem message, Set<UUID> members) {
        return moves.show(message, members)
                .ifNoItem().after(listsDeadline)
                .failWith(() -> new TimeoutException("lists not moved within " + listsDeadline.toMillis() + " ms"))
                // The message is stored whatever failed here: the answer must say so.
                .onFailure(failure -> failure instanceof ListEntryMoves.NotSettledException
                        || failure instanceof DynamoCalls.Unavailable || failure instanceof ContentionException
                        || failure instanceof TimeoutException)
                .transform(ListsNotUpdatedException::new);
    }


    /**
     * Stores a message without ever replacing another, and never twice: when its sort key is taken
     * by another message (same microsecond), it moves to the next free one (a retry whose first
     * attempt was applied counts as stored, see {@link MessageItem#put}). With a record, the
     * message and the record are written together; fails with {@link IdempotencyKeyTakenException}
     * when the key was used before.
     */
    public Uni<MessageItem> append(MessageItem message, Optional<IdempotencyItem> record, TextKey key) {
        return append(message, record, key, 1);
    }

    private Uni<MessageItem> append(MessageItem message, Optional<IdempotencyItem> record, TextKey key, int attempt) {
        Uni<Outcome> write = record.isEmpty()
                ? message.put(table)
                : message.putOnce(table, record.get().withCreated(message));
        return write.chain(outcome -> switch (outcome) {
            case WRITTEN -> Uni.createFrom().item(message);
            case IDEMPOTENCY_KEY_TAKEN -> Uni.createFrom().failure(new IdempotencyKeyTakenException());
            case TIME_TAKEN -> retry(attempt, outcome, () -> append(message.at(nextFree(message), key), record, key, attempt + 1));
            case CONFLICT -> retryAfterPause(attempt, outcome, () -> append(message, record, key, attempt + 1));
            default -> Uni.createFrom().failure(new ContentionException(null));
        });
    }

    /**
     * Writes a new conversation and its first message atomically. Fails with
     * {@link PairTakenException} when the two users already have a conversation (also when another
     * request created it a moment ago), and with {@link IdempotencyKeyTakenException} as {@link #append} does.
     */
    public Uni<NewConversation> create(NewConversation conversation, Optional<IdempotencyItem> record, TextKey key) {
        return create(conversation, record, key, 1);
    }

    private Uni<NewConversation> create(NewConversation conversation, Optional<IdempotencyItem> record, TextKey key, int attempt) {
        Optional<IdempotencyItem> current = record.map(r -> r.withCreated(conversation.message()));
        return conversation.create(table, current).chain(outcome -> switch (outcome) {
            case WRITTEN -> Uni.createFrom().item(conversation);
            case IDEMPOTENCY_KEY_TAKEN -> Uni.createFrom().failure(new IdempotencyKeyTakenException());
            case PAIR_TAKEN -> Uni.createFrom().failure(new PairTakenException());
            case TIME_TAKEN -> retry(attempt, outcome,
                    () -> create(conversation.at(nextFree(conversation.message()), key), record, key, attempt + 1));
            case CONFLICT -> retryAfterPause(attempt, outcome, () -> create(conversation, record, key, attempt + 1));
            default -> Uni.createFrom().failure(new ContentionException(null));
        });
    }

    private Instant nextFree(MessageItem taken) {
        return Timestamps.nextFree(taken.createdAt(), clock.instant());
    }

    private static <T> Uni<T> retry(int attempt, Outcome outcome, Supplier<Uni<T>> next) {
        if (attempt >= MAX_ATTEMPTS) {
            return Uni.createFrom().failure(new ContentionException(gaveUp(attempt, outcome)));
        }
        return Uni.createFrom().deferred(next::get);
    }

    private static <T> Uni<T> retryAfterPause(int attempt, Outcome outcome, Supplier<Uni<T>> next) {
        return afterPause(attempt, () -> new ContentionException(gaveUp(attempt, outcome)), next);
    }

    /**
     * The retry rule of every conditional write that lost a race (a message, a read marker, an edit):
     * {@code next} after a jittered pause, until the {@value #MAX_ATTEMPTS}th attempt has failed; then a
     * 503 {@code write_contention}.
     */
    public static <T> Uni<T> afterPause(int attempt, Supplier<Uni<T>> next) {
        return afterPause(attempt, () -> new ContentionException(null), next);
    }

    private static <T> Uni<T> afterPause(int attempt, Supplier<ContentionException> gaveUp, Supplier<Uni<T>> next) {
        if (attempt >= MAX_ATTEMPTS) {
            return Uni.createFrom().failure(gaveUp.get());
        }
        // Back off with jitter so that racing writers stop meeting each other.
        long millis = ThreadLocalRandom.current().nextLong(5, 20L << Math.min(attempt, 4));
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis)).chain(() -> Uni.createFrom().deferred(next::get));
    }

    private static IllegalStateException gaveUp(int attempt, Outcome outcome) {
        return new IllegalStateException(outcome + " on each of " + attempt + " tries");
    }
}
