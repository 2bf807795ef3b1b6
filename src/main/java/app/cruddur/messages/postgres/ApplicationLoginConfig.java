package app.cruddur.messages.postgres;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.util.Map;
import java.util.Optional;

/**
 * The logins the init run ensures after migrating ({@link ApplicationLogin}), by key
 * ({@code cruddur.messages.postgres.login.<key>.user} and {@code .password}): in prod each login's
 * variables, Secrets Manager's {@code username} and {@code password} of its secret. Unset everywhere else.
 */
@ConfigMapping(prefix = "cruddur.messages.postgres.login")
public interface ApplicationLoginConfig {

    /** By {@link ApplicationLogin#key()}. */
    @WithParentName
    Map<String, Credentials> login();

    /** A login's name and password as configured: both or neither. */
    interface Credentials {

        Optional<String> user();

        Optional<String> password();
    }
}
