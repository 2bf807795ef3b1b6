package app.cruddur.messages.user.rest;

import app.cruddur.messages.user.User;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.UUID;

@Schema(name = "MeResponse", description = "The caller")
public record MeResponse(
        @Schema(description = "The caller's uuid", required = true, format = "uuid") UUID uuid,
        @Schema(description = "The caller's handle", required = true) String handle,
        @JsonProperty("display_name") @Schema(description = "The caller's display name", required = true) String displayName) {

    static MeResponse of(User user) {
        return new MeResponse(user.uuid(), user.handle(), user.displayName());
    }
}
