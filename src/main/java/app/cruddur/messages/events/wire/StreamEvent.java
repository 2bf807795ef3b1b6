package app.cruddur.messages.events.wire;

import app.cruddur.messages.view.MessageView;
import app.cruddur.messages.view.MessageGroupView;
import app.cruddur.messages.table.GroupRowItem;
import app.cruddur.messages.table.MessageItem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * One event of a user's stream, rendered once: its SSE name ({@code message} or
 * {@code message_group}), its id and its JSON data. {@link #wire()} and {@link #fromWire} are its
 * form on a Redis channel: three lines, name, id and data (JSON has no raw line break).
 */
public record StreamEvent(String name, EventId id, String data) {

    public static final String MESSAGE = "message";
    public static final String MESSAGE_GROUP = "message_group";

    /** A message posted into one of the user's conversations: the fields of GET /api/messages and its conversation. */
    public static StreamEvent message(MessageItem message, ObjectMapper json) {
        return new StreamEvent(MESSAGE, new EventId(message.createdAt(), EventId.Kind.MESSAGE, message.messageGroupUuid()),
                write(json, MessageView.of(message)));
    }

    /** A row of the user's conversation list moved: the fields of GET /api/message_groups. */
    public static StreamEvent row(GroupRowItem row, ObjectMapper json) {
        return new StreamEvent(MESSAGE_GROUP, new EventId(row.lastReplyAt(), EventId.Kind.MESSAGE_GROUP, row.messageGroupUuid()),
                write(json, MessageGroupView.of(row)));
    }

    public String wire() {
        return name + "\n" + id.format() + "\n" + data;
    }

    /** The event a {@link #wire()} form carries, or empty when it is not one. */
    public static Optional<StreamEvent> fromWire(String wire) {
        int first = wire.indexOf('\n');
        int second = first < 0 ? -1 : wire.indexOf('\n', first + 1);
        if (second < 0) {
            return Optional.empty();
        }
        String name = wire.substring(0, first);
        if (!MESSAGE.equals(name) && !MESSAGE_GROUP.equals(name)) {
            return Optional.empty();
        }
        return EventId.parse(wire.substring(first + 1, second)).map(id -> new StreamEvent(name, id, wire.substring(second + 1)));
    }

    private static String write(ObjectMapper json, Object view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event view that cannot be written: " + e.getMessage(), e);
        }
    }
}
