package app.cruddur.messages.postgres;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The login the init run ensures after migrating ({@link ApplicationLogin}): in prod
 * {@code POSTGRES_APP_USER} and {@code POSTGRES_APP_PASSWORD}, Secrets Manager's {@code username}
 * and {@code password} of the service's own secret. Unset everywhere else.
 */
@ConfigMapping(prefix = "cruddur.messages.postgres.app-login")
public interface ApplicationLoginConfig {

    Optional<String> user();

    Optional<String> password();
}
