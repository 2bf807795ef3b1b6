package app.cruddur.messages.user;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The cache of verified access tokens. */
@ConfigMapping(prefix = "cruddur.messages.verified-tokens")
public interface VerifiedTokensConfig {

    /**
     * Access tokens whose verification is remembered until they expire (user/VerifiedTokenCache);
     * 0 verifies every request's token. About 3 KB each.
     */
    @WithDefault("2000")
    int maxSize();
}
