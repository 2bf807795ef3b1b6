package app.cruddur.messages.projection;

import app.cruddur.messages.table.AccessPatterns;
import app.cruddur.messages.table.Dynamo;
import app.cruddur.messages.table.GroupRowItem;
import app.cruddur.messages.table.Keys;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.Timestamps;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Pattern E: keeps each member's group row showing the conversation's newest message. Acts on
 * INSERTs of messages only; group rows, the other item types, MODIFY and REMOVE records are
 * ignored, so its own writes never feed back. Records of one conversation in a batch collapse into
 * one move to the newest message; a row only ever moves forward in time, so redelivered,
 * duplicated or reordered records leave the same final state.
 *
 * <p>Plain Java on purpose: the service's stream consumer and the Lambda handler both drive it.
 */
public class GroupRowProjection {

    private static final Logger LOG = Logger.getLogger(GroupRowProjection.class);
    static final int MAX_ATTEMPTS = 10;
    private static final Comparator<MessageItem> NEWEST = Comparator.comparing(MessageItem::createdAt)
            .thenComparing(message -> message.messageUuid().toString());

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final String groupIndex;
    private final Function<UUID, Uni<Optional<Set<UUID>>>> members;

    /**
     * @param members a conversation's members, or empty for a conversation without a conversation
     *                item (written by older tools); then every row the index lists is moved
     */
    public GroupRowProjection(DynamoDbAsyncClient dynamo, String table, String groupIndex,
                              Function<UUID, Uni<Optional<Set<UUID>>>> members) {
        this.dynamo = dynamo;
        this.table = table;
        this.groupIndex = groupIndex;
        this.members = members;
    }

    /** What became of a batch: the sequence numbers that could not be applied (to be delivered again). */
    public record Outcome(int messages, int conversations, List<String> failedSequenceNumbers) {
    }

    public Uni<Outcome> apply(List<StreamChange> changes) {
        Map<UUID, MessageItem> newest = new LinkedHashMap<>();
        Map<UUID, List<String>> sequences = new HashMap<>();
        List<String> failed = new ArrayList<>();
        int messages = 0;
        for (StreamChange change : changes) {
            if (!StreamChange.INSERT.equals(change.eventName()) || change.newImage() == null) {
                continue;
            }
            AttributeValue pk = change.newImage().get(MessagesTable.PK);
            if (pk == null || pk.s() == null || !pk.s().startsWith(Keys.MESSAGE_PREFIX)) {
                continue;
            }
            MessageItem message;
            try {
                message = MessageItem.from(change.newImage());
            } catch (RuntimeException e) {
                LOG.warnf("Stream record %s is a message that cannot be read: %s", change.sequenceNumber(), e.getMessage());
                failed.add(change.sequenceNumber());
                continue;
            }
            messages++;
            newest.merge(message.messageGroupUuid(), message, (a, b) -> NEWEST.compare(a, b) >= 0 ? a : b);
            sequences.computeIfAbsent(message.messageGroupUuid(), group -> new ArrayList<>()).add(change.sequenceNumber());
        }
        int count = messages;
        if (newest.isEmpty()) {
            return Uni.createFrom().item(new Outcome(count, 0, failed));
        }
        return Multi.createFrom().iterable(newest.values())
                .onItem().transformToUni(message -> show(message)
                        .replaceWith(List.<String>of())
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("Group rows of %s not moved to %s: %s", message.messageGroupUuid(),
                                    Timestamps.format(message.createdAt()), failure.toString());
                            return sequences.get(message.messageGroupUuid());
                        }))
                .merge(4)
                .collect().asList()
                .map(results -> {
                    results.forEach(failed::addAll);
                    return new Outcome(count, newest.size(), failed);
                });
    }

    /** Moves every member's row of the message's conversation to the message, unless it already shows a newer one. */
    public Uni<Void> show(MessageItem message) {
        return expectedMembers(message.messageGroupUuid())
                .chain(expected -> show(message, message.createdAt(), expected, 1));
    }

    private Uni<Void> show(MessageItem message, Instant at, Optional<Set<UUID>> expected, int attempt) {
        return Dynamo.call(() -> dynamo.query(AccessPatterns.groupRowsOfConversation(table, groupIndex, message.messageGroupUuid())))
                .chain(response -> {
                    Collection<GroupRowItem> current = currentRows(response.items());
                    if (expected.isPresent() && current.size() < expected.get().size()) {
                        // The index has not caught up with the conversation's creation yet.
                        return later(attempt, "group rows not yet in the index", () -> show(message, at, expected, attempt + 1));
                    }
                    List<GroupRowItem> from = current.stream().filter(row -> row.lastReplyAt().isBefore(at)).toList();
                    if (from.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    List<GroupRowItem> to = from.stream().map(row -> row.movedTo(at, message.message())).toList();
                    return Dynamo.call(() -> dynamo.transactWriteItems(AccessPatterns.moveGroupRows(table, from, to)))
                            .replaceWithVoid()
                            .onFailure(TransactionCanceledException.class).recoverWithUni(failure -> {
                                List<CancellationReason> reasons = ((TransactionCanceledException) failure).cancellationReasons();
                                boolean putBlocked = false;
                                for (int slot = from.size(); slot < reasons.size(); slot++) {
                                    putBlocked |= "ConditionalCheckFailed".equals(reasons.get(slot).code());
                                }
                                // A put blocked means the member has another conversation's row at this very
                                // microsecond: take the next one. Otherwise a row moved meanwhile: read again.
                                Instant next = putBlocked ? Timestamps.nextFree(at, at) : at;
                                return later(attempt, "group rows moved meanwhile", () -> show(message, next, expected, attempt + 1));
                            });
                });
    }

    private Uni<Optional<Set<UUID>>> expectedMembers(UUID group) {
        return members.apply(group);
    }

    /** Per member, the newest row: a lagging index may still list a row that has just been replaced. */
    private static Collection<GroupRowItem> currentRows(List<Map<String, AttributeValue>> items) {
        Map<UUID, GroupRowItem> byOwner = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            GroupRowItem row = GroupRowItem.from(item);
            byOwner.merge(row.ownerUserUuid(), row, (a, b) -> a.lastReplyAt().isAfter(b.lastReplyAt()) ? a : b);
        }
        return byOwner.values();
    }

    private static Uni<Void> later(int attempt, String why, Supplier<Uni<Void>> next) {
        if (attempt >= MAX_ATTEMPTS) {
            return Uni.createFrom().failure(new IllegalStateException(why + " after " + attempt + " attempts"));
        }
        long millis = ThreadLocalRandom.current().nextLong(10, 20L << Math.min(attempt, 5));
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(millis)).chain(() -> next.get());
    }
}
