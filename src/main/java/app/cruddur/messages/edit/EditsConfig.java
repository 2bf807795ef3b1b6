package app.cruddur.messages.edit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long a sender may edit their message. Deleting has no window. */
@ConfigMapping(prefix = "cruddur.messages.edits")
public interface EditsConfig {

    /** After this long from its sending, a message can no longer be edited (409 edit_window_passed). */
    @WithDefault("24h")
    Duration window();
}
