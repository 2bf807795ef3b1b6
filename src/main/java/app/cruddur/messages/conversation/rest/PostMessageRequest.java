package app.cruddur.messages.conversation.rest;

import app.cruddur.messages.conversation.ConversationConfig;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/messages}: a text and either a conversation or a receiver's handle. */
@Schema(name = "PostMessage", description = "Give message_group_uuid to reply in a conversation, or handle to message a "
        + "user: one of the two, never both (the document's oneOf)")
public record PostMessageRequest(
        @Schema(description = "The text, stored exactly as sent: something visible (not only white space or invisible "
                + "characters), at most " + ConversationConfig.Message.MAX_CHARS + " characters (Unicode code points)",
                required = true, minLength = 1, maxLength = ConversationConfig.Message.MAX_CHARS_DEFAULT,
                pattern = VISIBLE, example = "Hi Londo")
        String message,
        @JsonProperty("message_group_uuid") @Schema(description = "An existing conversation of the caller", format = "uuid",
                example = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399")
        String conversationUuid,
        @Schema(description = "The receiver's handle; opens the conversation with them, or reuses it", minLength = 1,
                pattern = "[^\\s\\u001C-\\u001F]", example = "londo")
        String handle) {

    /**
     * A character that is neither white space nor default-ignorable (conversation/service/MessageText,
     * in the Basic Multilingual Plane; the rule itself also knows the few invisible ones beyond it).
     */
    static final String VISIBLE = "[^\\s\\u0085\\u001C-\\u001F\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5"
            + "\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0"
            + "\\uFFF0-\\uFFF8]";
}
