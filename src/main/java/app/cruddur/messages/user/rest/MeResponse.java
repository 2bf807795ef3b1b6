package app.cruddur.messages.user.rest;

import app.cruddur.messages.user.User;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

public record MeResponse(UUID uuid, String handle, @JsonProperty("display_name") String displayName) {

    static MeResponse of(User user) {
        return new MeResponse(user.uuid(), user.handle(), user.displayName());
    }
}
