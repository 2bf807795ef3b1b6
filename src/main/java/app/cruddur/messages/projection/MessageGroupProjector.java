package app.cruddur.messages.projection;

import app.cruddur.messages.config.MessagesConfig;
import app.cruddur.messages.conversation.service.ConversationMembers;
import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.projection.GroupRowProjection.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** The projection inside the service, with conversation members from the service's cache. */
@ApplicationScoped
public class MessageGroupProjector {

    private final GroupRowProjection projection;

    public MessageGroupProjector(DynamoDbAsyncClient dynamo, ConversationMembers members, MessagesConfig config) {
        this.projection = new GroupRowProjection(dynamo, config.table().name(), config.table().groupIndex(),
                group -> members.of(group)
                        .map(conversation -> Optional.of(conversation.memberUuids()))
                        .onFailure(NotFoundException.class).recoverWithItem(Optional.<Set<UUID>>empty()));
    }

    public Uni<Outcome> apply(List<StreamChange> changes) {
        return projection.apply(changes);
    }
}
