package app.cruddur.messages.health;

import app.cruddur.messages.table.wiring.MessagesTableAdmin;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the messages table answers and is ACTIVE. PostgreSQL has its own check. */
@Readiness
@ApplicationScoped
public class DynamoDbTableReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final MessagesTableAdmin table;

    public DynamoDbTableReadiness(MessagesTableAdmin table) {
        this.table = table;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        String name = "DynamoDB table " + table.tableName();
        return table.isActive()
                .ifNoItem().after(TIMEOUT).fail()
                .map(active -> HealthCheckResponse.named(name).status(active).withData("status", active ? "ACTIVE" : "not active").build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(name).down()
                        .withData("error", failure.getClass().getSimpleName()).build());
    }
}
