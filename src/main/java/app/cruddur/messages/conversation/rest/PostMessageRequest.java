package app.cruddur.messages.conversation.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/messages}: a text and either a conversation or a receiver's handle. */
@Schema(name = "PostMessage", description = "Give message_group_uuid to reply in a conversation, or handle to message a user")
public record PostMessageRequest(
        @Schema(description = "The text: not blank, at most 1024 characters (Unicode code points)", required = true)
        String message,
        @JsonProperty("message_group_uuid") @Schema(description = "An existing conversation of the caller")
        String conversationUuid,
        @Schema(description = "The receiver's handle; opens the conversation with them, or reuses it")
        String handle) {
}
