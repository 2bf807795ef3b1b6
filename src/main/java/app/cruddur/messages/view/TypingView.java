package app.cruddur.messages.view;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The other member is typing in a conversation: the data of a {@code typing} event. */
@JsonPropertyOrder({"message_group_uuid", "user_uuid", "handle", "expires_in"})
@Schema(name = "Typing", description = "The other member is typing; show it for expires_in seconds unless another one follows")
public record TypingView(
        @JsonProperty("message_group_uuid") @Schema(description = "The conversation", required = true, format = "uuid") String messageGroupUuid,
        @JsonProperty("user_uuid") @Schema(description = "Who is typing", required = true, format = "uuid") String userUuid,
        @Schema(description = "Their handle", required = true) String handle,
        @JsonProperty("expires_in") @Schema(description = "Seconds to show it for", required = true, example = "5") long expiresIn) {
}
