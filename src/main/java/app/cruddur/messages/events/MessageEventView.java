package app.cruddur.messages.events;

import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.Timestamps;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The data of a {@code message} event: the fields of a message in {@code GET /api/messages}, and its conversation. */
@JsonPropertyOrder({"uuid", "display_name", "handle", "message", "created_at", "message_group_uuid"})
@Schema(name = "MessageEvent", description = "A message posted into one of the caller's conversations")
public record MessageEventView(
        @Schema(description = "The message's uuid") String uuid,
        @JsonProperty("display_name") @Schema(description = "The sender's display name") String displayName,
        @Schema(description = "The sender's handle") String handle,
        @Schema(description = "The text, exactly as sent") String message,
        @JsonProperty("created_at") @Schema(description = "When it was sent (UTC, microseconds)",
                example = "2026-11-24T09:30:15.123456+00:00") String createdAt,
        @JsonProperty("message_group_uuid") @Schema(description = "The conversation") String messageGroupUuid) {

    public static MessageEventView of(MessageItem item) {
        return new MessageEventView(item.messageUuid().toString(), item.userDisplayName(), item.userHandle(), item.message(),
                Timestamps.format(item.createdAt()), item.messageGroupUuid().toString());
    }

}
