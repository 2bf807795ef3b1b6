package app.cruddur.messages.events.wire;

import app.cruddur.messages.view.MessageView;
import app.cruddur.messages.view.ListEntryView;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.ReadReceiptItem;
import app.cruddur.messages.view.ReadReceiptView;
import app.cruddur.messages.view.TypingView;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One event of a user's event stream, rendered once: its id (which holds its {@link EventKind}) and
 * its JSON data, and the trace that published it when that trace is sampled ({@code traceParent}, a
 * W3C traceparent, or null). {@link #wire()} and {@link #fromWire} are its form on a Redis channel:
 * three lines, SSE name, id and data (JSON has no raw line break), after a first line with the
 * traceparent when there is one. (An instance from before traces took such an event for no event
 * and dropped it: during a rolling deploy, its streams missed the sampled share of live events.)
 */
public record UserEvent(EventId id, String data, String traceParent) {

    /** An event in no trace. */
    public UserEvent(EventId id, String data) {
        this(id, data, null);
    }

    /** The same event, published in the trace {@code traceParent} names (null: in none that is kept). */
    public UserEvent tracedBy(String traceParent) {
        return new UserEvent(id, data, traceParent);
    }

    /** The SSE {@code event} name. */
    public String name() {
        return id.kind().sseName();
    }

    public EventKind kind() {
        return id.kind();
    }

    /**
     * A message posted into one of the user's conversations: the fields of GET /api/messages and its
     * conversation, the text sealed as stored (opened where the event is written to a stream).
     */
    public static UserEvent message(MessageItem message, ObjectMapper json) {
        return new UserEvent(new EventId(message.createdAt(), EventKind.MESSAGE, message.conversationUuid()),
                write(json, MessageView.sealed(message)));
    }

    /** An entry of the user's conversation list moved: the fields of GET /api/message_groups, the text sealed as stored. */
    public static UserEvent listEntry(ListEntryItem entry, ObjectMapper json) {
        return new UserEvent(new EventId(entry.lastReplyAt(), EventKind.LIST_ENTRY, entry.conversationUuid()),
                write(json, ListEntryView.sealed(entry)));
    }

    /** A read marker moved (see {@link ReadReceiptItem}): at the time it moved. */
    public static UserEvent read(ReadReceiptItem receipt, ObjectMapper json) {
        return new UserEvent(new EventId(receipt.at(), EventKind.READ, receipt.conversationUuid()), write(json, ReadReceiptView.of(receipt)));
    }

    /** A message was edited or deleted at {@code at}: the message as it is now, the text still sealed (or gone). */
    public static UserEvent changed(MessageItem message, Instant at, ObjectMapper json) {
        EventKind kind = message.isDeleted() ? EventKind.MESSAGE_DELETED : EventKind.MESSAGE_UPDATED;
        return new UserEvent(new EventId(at, kind, message.conversationUuid()), write(json, MessageView.sealed(message)));
    }

    /** Someone is typing in a conversation, at {@code at}. */
    public static UserEvent typing(UUID conversationUuid, Instant at, TypingView typing, ObjectMapper json) {
        return new UserEvent(new EventId(at, EventKind.TYPING, conversationUuid), write(json, typing));
    }

    public String wire() {
        String event = name() + "\n" + id.format() + "\n" + data;
        return traceParent == null ? event : traceParent + "\n" + event;
    }

    /** The event a {@link #wire()} form carries, or empty when it is not one. */
    public static Optional<UserEvent> fromWire(String wire) {
        int first = wire.indexOf('\n');
        if (first < 0) {
            return Optional.empty();
        }
        String head = wire.substring(0, first);
        if (EventKind.named(head).isEmpty() && head.startsWith(TRACE_VERSION)) {
            return parse(wire.substring(first + 1), head);
        }
        return parse(wire, null);
    }

    /** A traceparent's first field, its version (W3C Trace Context level 1). */
    private static final String TRACE_VERSION = "00-";

    private static Optional<UserEvent> parse(String wire, String traceParent) {
        int first = wire.indexOf('\n');
        int second = first < 0 ? -1 : wire.indexOf('\n', first + 1);
        if (second < 0) {
            return Optional.empty();
        }
        Optional<EventKind> named = EventKind.named(wire.substring(0, first));
        return EventId.parse(wire.substring(first + 1, second))
                .filter(id -> named.equals(Optional.of(id.kind())))
                .map(id -> new UserEvent(id, wire.substring(second + 1), traceParent));
    }

    private static String write(ObjectMapper json, Object view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event view that cannot be written: " + e.getMessage(), e);
        }
    }
}
