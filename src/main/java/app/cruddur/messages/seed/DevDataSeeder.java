package app.cruddur.messages.seed;

import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.user.UserRepository;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Dev mode only: creates the seed users in the local Cognito pool and in PostgreSQL, links each
 * row to its Cognito {@code sub} (the seed's update-cognito-user-ids step), then writes the seed
 * conversation. Idempotent.
 */
@Singleton
@IfBuildProfile("dev")
public class DevDataSeeder {

    private static final Logger LOG = Logger.getLogger(DevDataSeeder.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final UserRepository users;
    private final ConversationSeeder conversation;
    private final Clock clock;

    public DevDataSeeder(UserRepository users, ConversationSeeder conversation, Clock clock) {
        this.users = users;
        this.conversation = conversation;
        this.clock = clock;
    }

    // After TableBootstrap (default priority), so that the table exists.
    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (!LocalStackProcess.running()) {
            LOG.info("No local stack in this JVM (cruddur.local-stack.enabled=false): seed data not created");
            return;
        }
        LocalStackProcess stack = LocalStackProcess.current();
        for (SeedUsers.SeedUser seed : SeedUsers.ALL) {
            String sub = stack.ensureCognitoUser(seed.handle(), seed.email(), seed.displayName());
            users.upsert(seed.uuid(), seed.handle(), seed.displayName(), seed.email(), sub).await().atMost(WAIT);
        }
        LOG.infof("Seed users ready: %s (token: bin/local-token HANDLE)",
                String.join(", ", SeedUsers.ALL.stream().map(SeedUsers.SeedUser::handle).toList()));
        ConversationSeeder.Outcome outcome = conversation.seed(clock.instant()).await().atMost(WAIT);
        LOG.infof("Seed conversation %s: %s", SeedConversation.MESSAGE_GROUP_UUID,
                outcome == ConversationSeeder.Outcome.SEEDED ? "written" : "already there");
    }
}
