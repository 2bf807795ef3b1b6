package app.cruddur.messages.conversation.rest;

import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.Timestamps;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a post: the stored message and the conversation it is in. */
@JsonPropertyOrder({"message_group_uuid", "uuid", "display_name", "handle", "message", "created_at"})
@Schema(name = "CreatedMessage", description = "The message as stored, with its conversation")
public record CreatedMessageView(
        @JsonProperty("message_group_uuid") @Schema(description = "The conversation, also when this message opened it")
        String messageGroupUuid,
        @Schema(description = "The new message's uuid") String uuid,
        @JsonProperty("display_name") @Schema(description = "The sender's (the caller's) display name") String displayName,
        @Schema(description = "The sender's handle") String handle,
        @Schema(description = "The text, exactly as sent") String message,
        @JsonProperty("created_at") @Schema(description = "The message's time (UTC, microseconds)",
                example = "2026-11-24T09:30:15.123456+00:00") String createdAt) {

    static CreatedMessageView of(MessageItem item) {
        return new CreatedMessageView(item.messageGroupUuid().toString(), item.messageUuid().toString(),
                item.userDisplayName(), item.userHandle(), item.message(), Timestamps.format(item.createdAt()));
    }
}
