package app.cruddur.messages.table.wiring;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/** In dev and test, creates the table at start when it is missing. */
@Singleton
public class TableBootstrap {

    private static final Logger LOG = Logger.getLogger(TableBootstrap.class);

    private final MessagesTableAdmin admin;
    private final boolean createIfMissing;

    public TableBootstrap(MessagesTableAdmin admin, TableConfig config) {
        this.admin = admin;
        this.createIfMissing = config.createIfMissing();
    }

    void onStart(@Observes StartupEvent event) {
        if (!createIfMissing) {
            return;
        }
        // Start-up, not a request: waiting here keeps readiness honest from the first probe.
        MessagesTableAdmin.Outcome outcome = admin.ensureTable().await().atMost(Duration.ofSeconds(30));
        LOG.infof("DynamoDB table %s: %s", admin.tableName(), outcome == MessagesTableAdmin.Outcome.CREATED
                ? "created" : "already exists");
    }
}
