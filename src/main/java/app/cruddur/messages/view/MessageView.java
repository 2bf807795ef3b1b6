package app.cruddur.messages.view;

import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.Timestamps;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A message as the Cruddur frontend reads it: in a page of its conversation (without
 * {@code message_group_uuid}, as the reference answers), in the answer to a post and in a
 * {@code message} event (with it).
 */
@JsonPropertyOrder({"message_group_uuid", "uuid", "display_name", "handle", "message", "created_at", "edited_at", "deleted_at"})
@Schema(name = "Message", description = "A message and its sender; the answer to a post and a message event also name its "
        + "conversation (message_group_uuid), a page of the conversation does not")
public record MessageView(
        @JsonProperty("message_group_uuid") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "The conversation, also when this message opened it (not in a page of messages)", format = "uuid")
        String conversationUuid,
        @Schema(description = "The message's uuid", required = true, format = "uuid") String uuid,
        @JsonProperty("display_name") @Schema(description = "The sender's display name", required = true) String displayName,
        @Schema(description = "The sender's handle", required = true) String handle,
        @Schema(description = "The text, exactly as sent", required = true) String message,
        @JsonProperty("created_at") @Schema(description = "When it was sent (UTC, microseconds)", required = true,
                format = "date-time", example = "2026-11-24T09:30:15.123456+00:00") String createdAt,
        @JsonProperty("edited_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "When its sender last edited it (absent: never)", format = "date-time") String editedAt,
        @JsonProperty("deleted_at") @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "When its sender deleted it (absent: not deleted); message then says so, its text is gone",
                format = "date-time") String deletedAt) {

    /** What a deleted message shows in place of its text (the frontend renders the message field as it is). */
    public static final String DELETED = "(this message was deleted)";

    /**
     * What a text that does not open is shown as (its conversation's key erased, its ciphertext
     * damaged or copied from another message): never the ciphertext.
     */
    public static final String UNAVAILABLE = "(this message is unavailable)";

    /** In a page of its conversation: the conversation is the page's; {@code text} as opened ({@link MessageItem#text}). */
    public static MessageView inPage(MessageItem item, Optional<String> text) {
        return new MessageView(null, item.messageUuid().toString(), item.userDisplayName(), item.userHandle(), shown(item, text),
                Timestamps.format(item.createdAt()), edited(item), deleted(item));
    }

    /** On its own (the answer to a post): with its conversation. */
    public static MessageView of(MessageItem item, Optional<String> text) {
        return new MessageView(item.conversationUuid().toString(), item.messageUuid().toString(), item.userDisplayName(),
                item.userHandle(), shown(item, text), Timestamps.format(item.createdAt()), edited(item), deleted(item));
    }

    /**
     * As an event carries it between instances: the text still sealed, as stored; the instance that
     * writes the event to a stream opens it (events/EventTexts).
     */
    public static MessageView sealed(MessageItem item) {
        return new MessageView(item.conversationUuid().toString(), item.messageUuid().toString(), item.userDisplayName(),
                item.userHandle(), item.isDeleted() ? DELETED : item.message(), Timestamps.format(item.createdAt()), edited(item),
                deleted(item));
    }

    static String shown(Optional<String> text) {
        return text.orElse(UNAVAILABLE);
    }

    private static String shown(MessageItem item, Optional<String> text) {
        return item.isDeleted() ? DELETED : shown(text);
    }

    private static String edited(MessageItem item) {
        return item.revision().editedAt() == null ? null : Timestamps.format(item.revision().editedAt());
    }

    private static String deleted(MessageItem item) {
        return item.revision().deletedAt() == null ? null : Timestamps.format(item.revision().deletedAt());
    }
}
