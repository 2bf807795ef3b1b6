package app.cruddur.messages.edit.rest;

import app.cruddur.messages.conversation.ConversationConfig;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PATCH /api/messages/{message_group_uuid}/{created_at}}: the new text. */
@Schema(name = "EditMessage", description = "The message's new text, under the rules of a new message")
public record EditMessageRequest(
        @Schema(description = "The new text: something visible, at most " + ConversationConfig.Message.MAX_CHARS
                + " characters (Unicode code points)", required = true, minLength = 1,
                maxLength = ConversationConfig.Message.MAX_CHARS_DEFAULT, example = "Hi Londo, edited")
        String message) {
}
