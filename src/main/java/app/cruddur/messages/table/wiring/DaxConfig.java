package app.cruddur.messages.table.wiring;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The DAX cluster pattern B's reads may go through. */
@ConfigMapping(prefix = "cruddur.messages.dax")
public interface DaxConfig {

    /**
     * The DAX cluster's discovery endpoint ({@code dax://...} or {@code daxs://...}). When set, the
     * eventually consistent reads (the message pages) go through DAX;
     * consistent reads and all writes always go straight to DynamoDB.
     */
    Optional<String> endpoint();
}
