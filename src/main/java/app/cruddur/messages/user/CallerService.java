package app.cruddur.messages.user;

import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.ApiException;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Resolves the signed-in caller (the access token's {@code sub}) to a Cruddur user. Found users are
 * cached (bounded, expiring: {@code quarkus.cache.caffeine."users-by-sub"}), so in steady state a
 * request makes no PostgreSQL query; an unknown sub is not cached, so a user linked later is found.
 */
@ApplicationScoped
public class CallerService {

    private final UserRepository users;

    public CallerService(UserRepository users) {
        this.users = users;
    }

    /** The caller's user; fails with 403 {@code user_not_registered} when the sub has no users row. */
    @CacheResult(cacheName = "users-by-sub")
    public Uni<User> resolve(String sub) {
        return users.findByCognitoUserId(sub)
                .map(user -> user.orElseThrow(() -> new ApiException(ErrorCode.USER_NOT_REGISTERED,
                        "This account is signed in but has no Cruddur user.")));
    }
}
