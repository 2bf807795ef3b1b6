package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;

/** How a cancelled move of two entries (deletes first, then puts) reads its cancellation reasons. */
class ListEntryMoveTest {

    private static final String FAILED = "ConditionalCheckFailed";
    private static final String NONE = "None";

    @Test
    void anotherMoverFirstFailsTheDeleteAndThePutOfTheSameMember() {
        // The POST and the projection moved the same entries to the same message: read again, same time.
        assertFalse(ListEntryItem.collided(reasons(FAILED, FAILED, FAILED, FAILED), 2));
        assertFalse(ListEntryItem.collided(reasons(FAILED, NONE, FAILED, NONE), 2));
    }

    @Test
    void aPutBlockedWhileItsRowWasStillThereIsACollisionWithAnotherConversation() {
        assertTrue(ListEntryItem.collided(reasons(NONE, NONE, NONE, FAILED), 2));
        assertTrue(ListEntryItem.collided(reasons(NONE, FAILED), 1));
    }

    @Test
    void aRowThatMovedMeanwhileIsNoCollision() {
        assertFalse(ListEntryItem.collided(reasons(FAILED, NONE, NONE, NONE), 2));
        assertFalse(ListEntryItem.collided(reasons(NONE, NONE, NONE, NONE), 2));
    }

    private static List<CancellationReason> reasons(String... codes) {
        return Arrays.stream(codes).map(code -> CancellationReason.builder().code(code).build()).toList();
    }
}
