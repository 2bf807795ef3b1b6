package app.cruddur.messages.view;

import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.Timestamps;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One entry of the conversation list, as the Cruddur frontend reads it. */
@JsonPropertyOrder({"uuid", "display_name", "handle", "message", "created_at", "unread"})
@Schema(name = "MessageGroup", description = "A conversation of the caller, with the other member and the last message")
public record ListEntryView(
        @Schema(description = "The conversation's message_group_uuid", required = true, format = "uuid") String uuid,
        @JsonProperty("display_name") @Schema(description = "The other member's display name", required = true) String displayName,
        @Schema(description = "The other member's handle", required = true) String handle,
        @Schema(description = "The last message", required = true) String message,
        @JsonProperty("created_at") @Schema(description = "When the last message was sent (UTC, microseconds)",
                required = true, format = "date-time", example = "2026-11-24T09:30:15.123456+00:00") String createdAt,
        @Schema(description = "The other member's messages after the caller's read marker: exact up to 99, 100 means 100 or more",
                required = true, minimum = "0", maximum = "100", example = "2") int unread) {

    /** {@code text} as opened ({@link ListEntryItem#text}). */
    public static ListEntryView of(ListEntryItem entry, Optional<String> text) {
        return new ListEntryView(entry.conversationUuid().toString(), entry.otherDisplayName(), entry.otherHandle(),
                entry.message().isEmpty() ? MessageView.DELETED : MessageView.shown(text), Timestamps.format(entry.lastReplyAt()),
                entry.unread());
    }

    /** As an event carries it between instances: the text still sealed (see {@link MessageView#sealed}). */
    public static ListEntryView sealed(ListEntryItem entry) {
        return new ListEntryView(entry.conversationUuid().toString(), entry.otherDisplayName(), entry.otherHandle(),
                entry.message().isEmpty() ? MessageView.DELETED : entry.message(), Timestamps.format(entry.lastReplyAt()), entry.unread());
    }
}
