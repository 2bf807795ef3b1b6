package app.cruddur.messages.block;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The blocks a user may make. */
@ConfigMapping(prefix = "cruddur.messages.blocks")
public interface BlocksConfig {

    /** The most users one user may block; a block beyond it is a 422 too_many_blocks. */
    @WithDefault("1000")
    int maxPerUser();
}
