package app.cruddur.messages.postgres;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while PostgreSQL answers a query within the query deadline. */
@Readiness
@ApplicationScoped
public class PostgresReadiness implements AsyncHealthCheck {

    static final String NAME = "PostgreSQL";

    private final Postgres postgres;

    public PostgresReadiness(Postgres postgres) {
        this.postgres = postgres;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return postgres.query("SELECT 1", Tuple.tuple())
                .map(rows -> HealthCheckResponse.up(NAME))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("error", (failure.getCause() == null ? failure : failure.getCause()).getClass().getSimpleName())
                        .build());
    }
}
