package app.cruddur.messages.block;

import app.cruddur.messages.error.ApiException;
import app.cruddur.messages.error.ErrorCode;
import app.cruddur.messages.error.NotFoundException;
import app.cruddur.messages.error.ValidationException;
import app.cruddur.messages.table.BlockItem;
import app.cruddur.messages.table.TableClient;
import app.cruddur.messages.user.User;
import app.cruddur.messages.user.UserDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The blocking rules. A user may block anyone else; while the block stands, neither of the two can
 * post to the other: not into a conversation they have, nor by handle into a new one. Both keep
 * reading what they had. Blocking and unblocking are idempotent.
 */
@ApplicationScoped
public class BlockService {

    private final TableClient table;
    private final BlockLists lists;
    private final UserDirectory users;
    private final BlocksConfig config;
    private final Clock clock;

    public BlockService(TableClient table, BlockLists lists, UserDirectory users, BlocksConfig config, Clock clock) {
        this.table = table;
        this.lists = lists;
        this.users = users;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Blocks the user with this handle; blocking them again keeps the first block. The block is
     * always written (conditionally): a cached list that missed an unblock must not turn a new
     * block into nothing.
     */
    public Uni<Void> block(User caller, String handle) {
        return other(caller, handle).chain(blocked -> lists.blockedBy(caller.uuid()).chain(current -> {
            if (!current.contains(blocked.uuid()) && current.size() >= config.maxPerUser()) {
                return Uni.createFrom().failure(new ValidationException(ErrorCode.TOO_MANY_BLOCKS));
            }
            return new BlockItem(caller.uuid(), blocked.uuid(), blocked.handle(), blocked.displayName(), clock.instant()).put(table)
                    .chain(() -> lists.changed(caller.uuid()));
        }));
    }

    /**
     * Lifts the caller's block of the user with this handle; also when there was none. A user who
     * is gone (no users row) is found by the handle the block recorded, so their block can be lifted too.
     */
    public Uni<Void> unblock(User caller, String handle) {
        return other(caller, handle)
                .map(User::uuid)
                .onFailure(e -> e instanceof ValidationException v && v.errors().contains(ErrorCode.BLOCKED_USER_NOT_FOUND))
                .recoverWithUni(unknown -> BlockItem.listBlocks(table, caller.uuid()).map(blocks -> blocks.stream()
                        .filter(block -> block.blockedHandle().equals(handle)).findFirst()
                        .map(BlockItem::blockedUuid)
                        .orElseThrow(() -> new ValidationException(ErrorCode.BLOCKED_USER_NOT_FOUND))))
                .chain(blocked -> BlockItem.delete(table, caller.uuid(), blocked))
                .chain(() -> lists.changed(caller.uuid()));
    }

    /** Everyone the caller blocked, the latest block first. */
    public Uni<List<BlockItem>> blocks(User caller) {
        return BlockItem.listBlocks(table, caller.uuid())
                .map(blocks -> blocks.stream().sorted(Comparator.comparing(BlockItem::blockedAt).reversed()).toList());
    }

    /**
     * Fails with 403 {@code recipient_unavailable} when either user blocked the other. Reads the
     * two cached block lists, so a post in steady state sends no request for it.
     */
    public Uni<Void> ensureMayMessage(User sender, UUID receiver) {
        return Uni.combine().all().unis(lists.blockedBy(sender.uuid()), lists.blockedBy(receiver)).asTuple()
                .invoke(both -> {
                    if (both.getItem1().contains(receiver)) {
                        throw new ApiException(ErrorCode.RECIPIENT_UNAVAILABLE,
                                "You blocked this user; unblock them to send them messages.");
                    }
                    if (both.getItem2().contains(sender.uuid())) {
                        throw new ApiException(ErrorCode.RECIPIENT_UNAVAILABLE, "This user does not take messages from you.");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<User> other(User caller, String handle) {
        return users.byHandle(handle)
                .onFailure(NotFoundException.class).transform(e -> new ValidationException(ErrorCode.BLOCKED_USER_NOT_FOUND))
                .invoke(user -> {
                    if (user.uuid().equals(caller.uuid())) {
                        throw new ValidationException(ErrorCode.CANNOT_BLOCK_SELF);
                    }
                });
    }
}
