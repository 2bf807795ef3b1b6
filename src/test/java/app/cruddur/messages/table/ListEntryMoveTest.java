package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.table.ListEntryItem.Reading;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * How a move of entries is written (the deletes of the moved entries first, then one put per entry)
 * and how a cancelled one reads its cancellation reasons.
 */
class ListEntryMoveTest {

    private static final String FAILED = "ConditionalCheckFailed";
    private static final String NONE = "None";
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final UUID GROUP = UUID.randomUUID();

    @Test
    void anotherMoverFirstFailsTheDeleteAndThePutOfTheSameMember() {
        // The POST and the projection moved the same entries to the same message: read again, same time.
        assertFalse(ListEntryItem.collided(reasons(FAILED, FAILED, FAILED, FAILED), both(), bothMoved()));
        assertFalse(ListEntryItem.collided(reasons(FAILED, NONE, FAILED, NONE), both(), bothMoved()));
    }

    @Test
    void aPutBlockedWhileItsRowWasStillThereIsACollisionWithAnotherConversation() {
        assertTrue(ListEntryItem.collided(reasons(NONE, NONE, NONE, FAILED), both(), bothMoved()));
        assertTrue(ListEntryItem.collided(reasons(NONE, FAILED), both().subList(0, 1), bothMoved().subList(0, 1)));
    }

    @Test
    void aRowThatMovedMeanwhileIsNoCollision() {
        assertFalse(ListEntryItem.collided(reasons(FAILED, NONE, NONE, NONE), both(), bothMoved()));
        assertFalse(ListEntryItem.collided(reasons(NONE, NONE, NONE, NONE), both(), bothMoved()));
    }

    @Test
    void anEntryThatKeepsItsTimeIsReplacedNotMovedAndNeverCountsAsACollision() {
        List<ListEntryItem> from = both();
        // The first member's entry moves; the second's keeps its time and only its count changes.
        List<ListEntryItem> to = List.of(from.get(0).movedTo(T0.plusSeconds(1), "c1:x"),
                from.get(1).reading(from.get(1).reading().withThrough(T0, null, 3)));
        TransactWriteItemsRequest request = ListEntryItem.moveRequest("t", from, to);
        assertEquals(3, request.transactItems().size(), "one delete, two puts");
        assertTrue(request.transactItems().get(0).delete() != null);
        assertTrue(request.transactItems().get(2).put().conditionExpression().contains(ListEntryItem.READ_VERSION));
        assertEquals("8", request.transactItems().get(2).put().item().get(ListEntryItem.READ_VERSION).n(), "the version goes up by one");
        // Slots: delete (0), put of the moved entry (1), replace (2): a failed replace is a marker that changed.
        assertTrue(ListEntryItem.collided(reasons(NONE, FAILED, NONE), from, to));
        assertFalse(ListEntryItem.collided(reasons(NONE, NONE, FAILED), from, to));
    }

    @Test
    void aWriterOfAnEntryWithoutAMarkerRequiresThatNoneWasWrittenMeanwhile() {
        ListEntryItem legacy = new ListEntryItem(UUID.randomUUID(), T0, GROUP, "c1:x", UUID.randomUUID(), "B", "b");
        TransactWriteItemsRequest request = ListEntryItem.moveRequest("t", List.of(legacy), List.of(legacy.movedTo(T0.plusSeconds(1), "c1:y")
                .reading(Reading.UNRECORDED.withThrough(T0, null, 1))));
        assertTrue(request.transactItems().get(0).delete().conditionExpression().contains("attribute_not_exists(" + ListEntryItem.READ_VERSION + ")"));
        var written = request.transactItems().get(1).put().item();
        assertEquals(AttributeValue.fromN("1"), written.get(ListEntryItem.READ_VERSION));
        assertEquals(AttributeValue.fromN("1"), written.get(ListEntryItem.UNREAD));
        assertEquals(Timestamps.format(T0), written.get(ListEntryItem.READ_THROUGH).s());
        assertEquals(ListEntryItem.from(written).readThrough(), T0, "and reads back as written");
    }

    private static List<ListEntryItem> both() {
        Reading reading = new Reading(T0, T0, 0, 7);
        return List.of(new ListEntryItem(UUID.randomUUID(), T0, GROUP, "c1:a", UUID.randomUUID(), "A", "a", reading),
                new ListEntryItem(UUID.randomUUID(), T0, GROUP, "c1:a", UUID.randomUUID(), "B", "b", reading));
    }

    private static List<ListEntryItem> bothMoved() {
        return both().stream().map(entry -> entry.movedTo(T0.plusSeconds(1), "c1:b")).toList();
    }

    private static List<CancellationReason> reasons(String... codes) {
        return Arrays.stream(codes).map(code -> CancellationReason.builder().code(code).build()).toList();
    }
}
