package app.cruddur.messages.support;

import app.cruddur.messages.localstack.LocalStackProcess;
import java.nio.file.Path;

/** Where the sign-up trigger finds the local stack's PostgreSQL, as it would find RDS. */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    /** The local stack's service database as the service reads POSTGRES_URL: postgresql://host:port/db. */
    public static String url(LocalStackProcess stack) {
        return stack.serviceConfig().get("quarkus.datasource.reactive.url");
    }

    /** The CA of the local stack's PostgreSQL certificate (issued for localhost). */
    public static Path caFile(LocalStackProcess stack) {
        return Path.of((String) stack.coordinates().get("postgresCaFile"));
    }
}
