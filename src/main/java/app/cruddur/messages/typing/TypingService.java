package app.cruddur.messages.typing;

import app.cruddur.messages.block.BlockService;
import app.cruddur.messages.conversation.service.ConversationMembers;
import app.cruddur.messages.events.EventPublisher;
import app.cruddur.messages.table.Timestamps;
import app.cruddur.messages.user.User;
import app.cruddur.messages.view.TypingView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;

/**
 * Typing notices: a member who types tells the other member's open streams, which show it for a few
 * seconds. Nothing is stored (it goes through Redis only); only a member may, and not while either
 * of the two blocks the other (403, as for a message).
 */
@ApplicationScoped
public class TypingService {

    private final ConversationMembers members;
    private final BlockService blocks;
    private final EventPublisher events;
    private final TypingConfig config;
    private final Clock clock;

    public TypingService(ConversationMembers members, BlockService blocks, EventPublisher events, TypingConfig config, Clock clock) {
        this.members = members;
        this.blocks = blocks;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    public Uni<Void> typing(User caller, String conversationUuid) {
        return members.ofMember(conversationUuid, caller.uuid()).chain(conversation -> {
            UUID group = conversation.conversationUuid();
            UUID other = conversation.memberUuids().stream().filter(member -> !member.equals(caller.uuid())).findFirst()
                    .orElse(caller.uuid());
            return blocks.ensureMayMessage(caller, other).invoke(() -> events.typing(group, Timestamps.truncate(clock.instant()),
                    new TypingView(group.toString(), caller.uuid().toString(), caller.handle(), config.expiresIn().toSeconds()), other));
        });
    }
}
