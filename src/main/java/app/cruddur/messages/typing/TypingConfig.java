package app.cruddur.messages.typing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long a typing notice lasts on the other member's screen unless another one follows. */
@ConfigMapping(prefix = "cruddur.messages.typing")
public interface TypingConfig {

    /** What a {@code typing} event's {@code expires_in} says: a client shows "typing" this long after the last one. */
    @WithDefault("5s")
    Duration expiresIn();
}
