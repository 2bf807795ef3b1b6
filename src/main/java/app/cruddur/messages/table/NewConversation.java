package app.cruddur.messages.table;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** Everything a first message writes at once: the pair, the members, both group rows and the message. */
public record NewConversation(PairItem pair, ConversationItem conversation, GroupRowItem senderRow,
                              GroupRowItem receiverRow, MessageItem message) {

    /** Builds the items of a conversation that {@code sender} opens with {@code receiver}. */
    public static NewConversation of(UUID messageGroupUuid, MessageItem first,
                                     UUID receiverUuid, String receiverDisplayName, String receiverHandle) {
        Instant at = first.createdAt();
        return new NewConversation(
                new PairItem(first.userUuid(), receiverUuid, messageGroupUuid),
                new ConversationItem(messageGroupUuid, Set.of(first.userUuid(), receiverUuid), at),
                new GroupRowItem(first.userUuid(), at, messageGroupUuid, first.message(),
                        receiverUuid, receiverDisplayName, receiverHandle),
                new GroupRowItem(receiverUuid, at, messageGroupUuid, first.message(),
                        first.userUuid(), first.userDisplayName(), first.userHandle()),
                first);
    }

    /** The same conversation with every time moved to {@code at} (when a sort key was taken). */
    public NewConversation at(Instant at) {
        return new NewConversation(pair,
                new ConversationItem(conversation.messageGroupUuid(), conversation.memberUuids(), at),
                new GroupRowItem(senderRow.ownerUserUuid(), at, senderRow.messageGroupUuid(), senderRow.message(),
                        senderRow.otherUserUuid(), senderRow.otherDisplayName(), senderRow.otherHandle()),
                new GroupRowItem(receiverRow.ownerUserUuid(), at, receiverRow.messageGroupUuid(), receiverRow.message(),
                        receiverRow.otherUserUuid(), receiverRow.otherDisplayName(), receiverRow.otherHandle()),
                message.at(at));
    }
}
