package app.cruddur.messages.projection;

import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.MessagesTable;
import app.cruddur.messages.table.TableChanges;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.table.Timestamps;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Pattern E: keeps each member's list entry showing the conversation's newest message. Acts on
 * INSERTs of messages, and on MODIFYs of messages that were edited or deleted (the entries that show
 * one follow it); list entries, the other item types and REMOVE records are ignored, so its own
 * writes never feed back. Records of one conversation in a batch collapse into
 * one move to the newest message; a row only ever moves forward in time, so redelivered,
 * duplicated or reordered records leave the same final state. A message posted through the API
 * has usually been shown already (the POST moves the rows before it answers), and then the move
 * finds nothing to do; what it still moves is every message written another way (tools, seeds) and
 * whatever an interrupted request left undone. A message item that does not parse is skipped and
 * reported ({@link Outcome#unreadable}): no delivery can fix it, only an operator (bin/ddb/replay-projection).
 *
 * <p>Plain Java on purpose: the service's stream consumer and the Lambda handler both drive it.
 */
public class ListProjection {

    private static final Logger LOG = Logger.getLogger(ListProjection.class);
    /** What a move to a conversation's newest message is called (a span's name, ProjectionTraces). */
    public static final String MOVE = "project message";
    /** What following an edited or deleted message is called. */
    public static final String CHANGE = "project change";
    private static final Comparator<MessageItem> NEWEST = Comparator.comparing(MessageItem::createdAt)
            .thenComparing(message -> message.messageUuid().toString());

    private final ListEntryMoves moves;
    private final Function<UUID, Uni<Optional<Set<UUID>>>> members;
    private final TableChanges changes;
    private final ProjectionTraces traces;

    public ListProjection(TableClient table, Function<UUID, Uni<Optional<Set<UUID>>>> members, TableChanges changes) {
        this(table, members, changes, ProjectionTraces.NONE);
    }

    /**
     * @param members a conversation's members, or empty for a conversation without a conversation
     *                item (written by older tools); then every row the index lists is moved
     * @param changes told of every message INSERT (in stream order, per conversation) and of every
     *                move made here, so that messages written by tools reach the event streams too
     * @param traces  what makes each move a part of the traces of the messages that caused it
     */
    public ListProjection(TableClient table, Function<UUID, Uni<Optional<Set<UUID>>>> members, TableChanges changes,
                          ProjectionTraces traces) {
        this.moves = new ListEntryMoves(table, changes);
        this.members = members;
        this.changes = changes;
        this.traces = traces;
    }

    /**
     * What became of a batch. Two kinds of records were not applied: {@code unreadable} ones, whose
     * item does not parse and never will (delivering them again cannot help: they are logged and
     * passed), and {@code failedSequenceNumbers}, whose conversation's rows could not be moved for a
     * reason that may pass (a DynamoDB call failed, the moves did not settle): those are to be
     * delivered again.
     */
    public record Outcome(int messages, int conversations, List<Unreadable> unreadable, List<String> failedSequenceNumbers) {
    }

    /**
     * A message record whose item cannot be read: its keys and why, never another attribute's value
     * (the message text stays out of the logs).
     */
    public record Unreadable(String sequenceNumber, String pk, String sk, String reason) {
    }

    public Uni<Outcome> apply(List<StreamChange> changes) {
        Map<UUID, MessageItem> newest = new LinkedHashMap<>();
        Map<UUID, List<MessageItem>> inserted = new HashMap<>();
        Map<UUID, List<String>> sequences = new HashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int messages = 0;
        Map<String, MessageItem> changedMessages = new LinkedHashMap<>();
        Map<String, List<String>> changedSequences = new HashMap<>();
        for (StreamChange change : changes) {
            boolean modified = StreamChange.MODIFY.equals(change.eventName());
            if (!(StreamChange.INSERT.equals(change.eventName()) || modified) || change.newImage() == null) {
                continue;
            }
            AttributeValue pk = change.newImage().get(MessagesTable.PK);
            if (pk == null || pk.s() == null || !pk.s().startsWith(MessageItem.PREFIX)) {
                continue;
            }
            MessageItem message;
            try {
                message = MessageItem.from(change.newImage());
            } catch (RuntimeException e) {
                // The item parsers name the attribute that is wrong, never its value.
                Unreadable record = new Unreadable(change.sequenceNumber(), pk.s(), key(change.newImage().get(MessagesTable.SK)),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                LOG.warnf("Stream record %s (pk %s, sk %s) cannot be read and is skipped: %s", record.sequenceNumber(),
                        record.pk(), record.sk(), record.reason());
                unreadable.add(record);
                continue;
            }
            if (modified) {
                // An edited or deleted message: the entries that show it follow (docs/api.md, "Edit and delete").
                if (message.revision().version() > 0) {
                    String key = message.pk() + "/" + message.sk();
                    changedMessages.merge(key, message, (a, b) -> a.revision().version() >= b.revision().version() ? a : b);
                    changedSequences.computeIfAbsent(key, k -> new ArrayList<>()).add(change.sequenceNumber());
                }
                continue;
            }
            messages++;
            newest.merge(message.conversationUuid(), message, (a, b) -> NEWEST.compare(a, b) >= 0 ? a : b);
            inserted.computeIfAbsent(message.conversationUuid(), group -> new ArrayList<>()).add(message);
            sequences.computeIfAbsent(message.conversationUuid(), group -> new ArrayList<>()).add(change.sequenceNumber());
        }
        int count = messages;
        if (newest.isEmpty() && changedMessages.isEmpty()) {
            return Uni.createFrom().item(new Outcome(count, 0, unreadable, failed));
        }
        Uni<List<String>> followed = Multi.createFrom().iterable(changedMessages.entrySet())
                .onItem().transformToUni(changed -> traces.around(CHANGE, List.of(changed.getValue()),
                                () -> members.apply(changed.getValue().conversationUuid())
                                        .chain(expected -> moves.showChanged(changed.getValue(), expected)))
                        .replaceWith(List.<String>of())
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("List entries of %s not shown the change of %s: %s", changed.getValue().conversationUuid(),
                                    changed.getValue().sk(), failure.toString());
                            return changedSequences.get(changed.getKey());
                        }))
                .merge(4)
                .collect().asList()
                .map(results -> results.stream().flatMap(List::stream).toList());
        return followed.invoke(failed::addAll).chain(() -> Multi.createFrom().iterable(newest.values())
                .onItem().transformToUni(message -> traces.around(MOVE, inserted.get(message.conversationUuid()),
                                () -> show(message, inserted.get(message.conversationUuid())))
                        .replaceWith(List.<String>of())
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("List entries of %s not moved to %s: %s", message.conversationUuid(),
                                    Timestamps.format(message.createdAt()), failure.toString());
                            return sequences.get(message.conversationUuid());
                        }))
                .merge(4)
                .collect().asList()
                .map(results -> {
                    results.forEach(failed::addAll);
                    return new Outcome(count, newest.size(), unreadable, failed);
                }));
    }

    /** A key attribute as the log shows it: its string or number, else its type. */
    private static String key(AttributeValue value) {
        if (value == null) {
            return "(none)";
        }
        return value.s() != null ? value.s() : value.n() != null ? value.n() : "(" + value.type() + ")";
    }

    /** Moves every member's row of the message's conversation to the message, unless it already shows a newer one. */
    public Uni<Void> show(MessageItem message) {
        return show(message, List.of());
    }

    /** The same, after telling of the conversation's inserted messages (a conversation without members tells nothing). */
    private Uni<Void> show(MessageItem message, List<MessageItem> inserted) {
        return members.apply(message.conversationUuid()).chain(expected -> {
            expected.ifPresent(memberUuids -> inserted.forEach(stored -> changes.messageStored(stored, memberUuids)));
            return moves.show(message, expected);
        });
    }
}
