package app.cruddur.messages.user;

import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.NotFoundException;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Finds users by handle, for profiles and for starting conversations. Found users are cached like callers. */
@ApplicationScoped
public class UserDirectory {

    /** Longer than any handle the users table holds; longer input is not looked up at all. */
    public static final int MAX_HANDLE_LENGTH = 100;

    private final UserRepository users;

    public UserDirectory(UserRepository users) {
        this.users = users;
    }

    /** The user with this exact handle, or a 404 {@code user_not_found}. */
    @CacheResult(cacheName = "users-by-handle")
    public Uni<User> byHandle(String handle) {
        if (handle == null || handle.isEmpty() || handle.length() > MAX_HANDLE_LENGTH || handle.indexOf('\0') >= 0) {
            return Uni.createFrom().failure(notFound());
        }
        return users.findByHandle(handle).map(user -> user.orElseThrow(UserDirectory::notFound));
    }

    static NotFoundException notFound() {
        return new NotFoundException(ErrorCode.USER_NOT_FOUND, "No user has this handle.");
    }
}
