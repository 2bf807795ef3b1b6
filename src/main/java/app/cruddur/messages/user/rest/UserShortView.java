package app.cruddur.messages.user.rest;

import app.cruddur.messages.user.User;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A user's public short profile, as the frontend shows it before a first message. */
@JsonPropertyOrder({"uuid", "handle", "display_name"})
@Schema(name = "UserShort")
public record UserShortView(
        @Schema(description = "The user's uuid", required = true, format = "uuid") String uuid,
        @Schema(description = "The user's handle", required = true) String handle,
        @JsonProperty("display_name") @Schema(description = "The user's display name", required = true) String displayName) {

    static UserShortView of(User user) {
        return new UserShortView(user.uuid().toString(), user.handle(), user.displayName());
    }
}
