package app.cruddur.messages.user;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The public short profiles. */
@ConfigMapping(prefix = "cruddur.messages.profiles")
public interface ProfilesConfig {

    /** How long browsers and shared caches may keep a public short profile ({@code Cache-Control: max-age}). */
    @WithDefault("60s")
    Duration maxAge();
}
