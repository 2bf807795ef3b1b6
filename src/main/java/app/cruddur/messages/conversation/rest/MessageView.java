package app.cruddur.messages.conversation.rest;

import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.Timestamps;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A message in a page, as the Cruddur frontend reads it. */
@JsonPropertyOrder({"uuid", "display_name", "handle", "message", "created_at"})
@Schema(name = "Message", description = "A message and its sender")
public record MessageView(
        @Schema(description = "The message's uuid") String uuid,
        @JsonProperty("display_name") @Schema(description = "The sender's display name") String displayName,
        @Schema(description = "The sender's handle") String handle,
        @Schema(description = "The text, exactly as sent") String message,
        @JsonProperty("created_at") @Schema(description = "When it was sent (UTC, microseconds)",
                example = "2026-11-24T09:30:15.123456+00:00") String createdAt) {

    static MessageView of(MessageItem item) {
        return new MessageView(item.messageUuid().toString(), item.userDisplayName(), item.userHandle(), item.message(),
                Timestamps.format(item.createdAt()));
    }
}
