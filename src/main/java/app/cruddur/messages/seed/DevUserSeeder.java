package app.cruddur.messages.seed;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Dev mode only: creates the seed users in the local Cognito pool and in PostgreSQL, and links
 * each row to its Cognito {@code sub} (the seed's update-cognito-user-ids step). Idempotent.
 */
@Singleton
@IfBuildProfile("dev")
public class DevUserSeeder {

    private static final Logger LOG = Logger.getLogger(DevUserSeeder.class);

    private final UserRepository users;

    public DevUserSeeder(UserRepository users) {
        this.users = users;
    }

    void onStart(@Observes StartupEvent event) {
        if (!LocalStackProcess.running()) {
            LOG.info("No local stack in this JVM (cruddur.local-stack.enabled=false): seed users not created");
            return;
        }
        LocalStackProcess stack = LocalStackProcess.current();
        for (SeedUsers.SeedUser seed : SeedUsers.ALL) {
            String sub = stack.ensureCognitoUser(seed.handle(), seed.email(), seed.displayName());
            users.upsert(seed.uuid(), seed.handle(), seed.displayName(), seed.email(), sub)
                    .await().atMost(Duration.ofSeconds(10));
        }
        LOG.infof("Seed users ready: %s (token: bin/local-token HANDLE)",
                String.join(", ", SeedUsers.ALL.stream().map(SeedUsers.SeedUser::handle).toList()));
    }
}
