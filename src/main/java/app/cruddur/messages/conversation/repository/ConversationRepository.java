package app.cruddur.messages.conversation.repository;

import app.cruddur.messages.config.MessagesConfig;
import app.cruddur.messages.error.DependencyUnavailableException;
import app.cruddur.messages.table.AccessPatterns;
import app.cruddur.messages.table.AccessPatterns.NewConversationSlots;
import app.cruddur.messages.table.CachedReads;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.Dynamo;
import app.cruddur.messages.table.GroupRowItem;
import app.cruddur.messages.table.GroupRowMoves;
import app.cruddur.messages.table.IdempotencyItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.NewConversation;
import app.cruddur.messages.table.PairItem;
import app.cruddur.messages.table.Timestamps;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The messages table as the conversation feature uses it: the calls of {@link AccessPatterns}, and nothing else. */
@ApplicationScoped
public class ConversationRepository {

    /** Sort-key collisions and transaction conflicts are retried this often before giving up with a 503. */
    static final int MAX_ATTEMPTS = 8;
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

    private final DynamoDbAsyncClient dynamo;
    /** Pattern B: DAX when configured. */
    private final DynamoDbAsyncClient cachedReads;
    private final CoalescedMoves moves;
    private final String table;
    private final Duration listsDeadline;
    private final Clock clock;

    public ConversationRepository(DynamoDbAsyncClient dynamo, CachedReads cachedReads, MessagesConfig config, Clock clock) {
        this.dynamo = dynamo;
        this.cachedReads = cachedReads.client();
        GroupRowMoves rows = new GroupRowMoves(dynamo, config.table().name(), config.table().groupIndex());
        this.moves = new CoalescedMoves((message, members) -> rows.show(message, Optional.of(members)));
        this.table = config.table().name();
        this.listsDeadline = config.message().listsDeadline();
        this.clock = clock;
    }

    /**
     * Pattern A, strongly consistent and never through DAX: a POST that has answered has moved the
     * rows, and this read must see that move, whichever replica or service instance serves it.
     */
    public Uni<Page<GroupRowItem>> groupRows(UUID owner, Optional<String> beforeSk, int limit) {
        return page(dynamo, AccessPatterns.groupRowsNewestFirst(table, owner, beforeSk, limit), limit, GroupRowItem::from);
    }

    public Uni<Page<MessageItem>> messages(UUID messageGroupUuid, Optional<String> beforeSk, int limit) {
        return page(cachedReads, AccessPatterns.messagesNewestFirst(table, messageGroupUuid, beforeSk, limit), limit,
                MessageItem::from);
    }

    /**
     * Moves both members' group rows to a stored message (see {@link GroupRowMoves}), one move at a
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
                .onFailure(failure -> failure instanceof GroupRowMoves.NotSettledException
                        || failure instanceof DependencyUnavailableException || failure instanceof ContentionException
                        || failure instanceof TimeoutException)
                .transform(ListsNotUpdatedException::new);
    }

    public Uni<Optional<ConversationItem>> conversation(UUID messageGroupUuid) {
        return Dynamo.call(() -> dynamo.getItem(AccessPatterns.conversation(table, messageGroupUuid)))
                .map(response -> response.hasItem() && !response.item().isEmpty()
                        ? Optional.of(ConversationItem.from(response.item()))
                        : Optional.empty());
    }

    public Uni<Optional<UUID>> pairGroup(UUID a, UUID b) {
        return Dynamo.call(() -> dynamo.getItem(AccessPatterns.pair(table, a, b)))
                .map(response -> response.hasItem() && !response.item().isEmpty()
                        ? Optional.of(PairItem.groupOf(response.item()))
                        : Optional.empty());
    }

    public Uni<Optional<IdempotencyItem>> idempotencyRecord(UUID userUuid, String key) {
        return Dynamo.call(() -> dynamo.getItem(AccessPatterns.idempotencyRecord(table, userUuid, key)))
                .map(response -> response.hasItem() && !response.item().isEmpty()
                        ? Optional.of(IdempotencyItem.from(userUuid, key, response.item()))
                        : Optional.empty());
    }

    /**
     * Stores a message without ever replacing another, and never twice: when its sort key is taken
     * by another message (same microsecond), it moves to the next free one; when it is taken by this
     * message (a retry whose first attempt was applied), it is stored. With a record, the message and the record are
     * written together; fails with {@link IdempotencyKeyTakenException} when the key was used before.
     */
    public Uni<MessageItem> append(MessageItem message, Optional<IdempotencyItem> record) {
        return append(message, record, 1);
    }

    private Uni<MessageItem> append(MessageItem message, Optional<IdempotencyItem> record, int attempt) {
        Uni<MessageItem> write = record.isEmpty()
                ? Dynamo.call(() -> dynamo.putItem(AccessPatterns.putNewMessage(table, message))).replaceWith(message)
                : Dynamo.call(() -> dynamo.transactWriteItems(
                        AccessPatterns.putNewMessageOnce(table, message, record.get().withCreated(message)))).replaceWith(message);
        return write.onFailure().recoverWithUni(failure -> {
            Throwable cause = Dynamo.unwrap(failure);
            if (cause instanceof ConditionalCheckFailedException taken) {
                if (message.isStoredAs(taken.item())) {
                    // The SDK retried a put whose answer was lost: the first attempt stored it.
                    return Uni.createFrom().item(message);
                }
                return retry(attempt, cause, () -> append(message.at(nextFree(message)), record, attempt + 1));
            }
            if (cause instanceof TransactionCanceledException cancelled) {
                List<CancellationReason> reasons = cancelled.cancellationReasons();
                if (failed(reasons, 1)) {
                    return Uni.createFrom().failure(new IdempotencyKeyTakenException());
                }
                if (failed(reasons, 0)) {
                    return retry(attempt, cause, () -> append(message.at(nextFree(message)), record, attempt + 1));
                }
                if (conflicted(reasons)) {
                    return retryAfterPause(attempt, cause, () -> append(message, record, attempt + 1));
                }
                return Uni.createFrom().failure(unexpected(cancelled));
            }
            return Uni.createFrom().failure(failure);
        });
    }

    /**
     * Writes a new conversation and its first message atomically. Fails with
     * {@link PairTakenException} when the two users already have a conversation (also when another
     * request created it a moment ago), and with {@link IdempotencyKeyTakenException} as {@link #append} does.
     */
    public Uni<NewConversation> create(NewConversation conversation, Optional<IdempotencyItem> record) {
        return create(conversation, record, 1);
    }

    private Uni<NewConversation> create(NewConversation conversation, Optional<IdempotencyItem> record, int attempt) {
        Optional<IdempotencyItem> current = record.map(r -> r.withCreated(conversation.message()));
        return Dynamo.call(() -> dynamo.transactWriteItems(AccessPatterns.createConversation(table, conversation, current)))
                .replaceWith(conversation)
                .onFailure().recoverWithUni(failure -> {
                    if (!(Dynamo.unwrap(failure) instanceof TransactionCanceledException cancelled)) {
                        return Uni.createFrom().failure(failure);
                    }
                    List<CancellationReason> reasons = cancelled.cancellationReasons();
                    if (failed(reasons, NewConversationSlots.IDEMPOTENCY)) {
                        return Uni.createFrom().failure(new IdempotencyKeyTakenException());
                    }
                    if (failed(reasons, NewConversationSlots.PAIR)) {
                        return Uni.createFrom().failure(new PairTakenException());
                    }
                    for (int slot = NewConversationSlots.FIRST_TIMED; slot <= NewConversationSlots.LAST_TIMED; slot++) {
                        if (failed(reasons, slot)) {
                            Instant next = nextFree(conversation.message());
                            return retry(attempt, cancelled, () -> create(conversation.at(next), record, attempt + 1));
                        }
                    }
                    if (conflicted(reasons)) {
                        return retryAfterPause(attempt, cancelled, () -> create(conversation, record, attempt + 1));
                    }
                    return Uni.createFrom().failure(unexpected(cancelled));
                });
    }

    private Instant nextFree(MessageItem taken) {
        return Timestamps.nextFree(taken.createdAt(), clock.instant());
    }

    private static <T> Uni<Page<T>> page(DynamoDbAsyncClient client, QueryRequest request, int limit,
                                         Function<Map<String, AttributeValue>, T> mapper) {
        return Dynamo.call(() -> client.query(request)).map(response -> {
            List<Map<String, AttributeValue>> items = response.items();
            boolean older = items.size() > limit;
            List<Map<String, AttributeValue>> shown = older ? items.subList(0, limit) : items;
            Optional<String> next = older
                    ? Optional.of(shown.get(shown.size() - 1).get(MessagesTable.SK).s())
                    : Optional.empty();
            return new Page<>(shown.stream().map(mapper).toList(), next);
        });
    }

    /**
     * A cancellation for another reason: throttling or a transaction in progress is DynamoDB being
     * busy (503, retry); a validation error is a bug of ours and stays a failure.
     */
    private static Throwable unexpected(TransactionCanceledException cancelled) {
        boolean invalid = cancelled.cancellationReasons().stream().anyMatch(reason -> "ValidationError".equals(reason.code()));
        return invalid ? cancelled : new ContentionException(cancelled);
    }

    private static boolean failed(List<CancellationReason> reasons, int slot) {
        return reasons.size() > slot && CONDITION_FAILED.equals(reasons.get(slot).code());
    }

    private static boolean conflicted(List<CancellationReason> reasons) {
        return reasons.stream().anyMatch(reason -> TRANSACTION_CONFLICT.equals(reason.code()));
    }

    private static <T> Uni<T> retry(int attempt, Throwable cause, Supplier<Uni<T>> next) {
        if (attempt >= MAX_ATTEMPTS) {
            return Uni.createFrom().failure(new ContentionException(cause));
        }
        return Uni.createFrom().deferred(next::get);
    }

    private static <T> Uni<T> retryAfterPause(int attempt, Throwable cause, Supplier<Uni<T>> next) {
        if (attempt >= MAX_ATTEMPTS) {
            return Uni.createFrom().failure(new ContentionException(cause));
        }
        // Back off with jitter so that racing writers stop meeting each other.
        long millis = ThreadLocalRandom.current().nextLong(5, 20L << Math.min(attempt, 4));
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis)).chain(() -> Uni.createFrom().deferred(next::get));
    }
}
