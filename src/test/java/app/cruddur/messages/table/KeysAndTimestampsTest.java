package app.cruddur.messages.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeysAndTimestampsTest {

    private static final UUID A = UUID.fromString("99b3e778-8334-4f68-9076-515ad1934c8a");
    private static final UUID B = UUID.fromString("cd52b8bf-1758-4f91-bb52-e49c598b1410");

    @Test
    void referenceKeyFormats() {
        UUID group = UUID.fromString("5ae290ed-55d1-47a0-bc6d-fe2bc2700399");
        assertEquals("MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399", MessageItem.partition(group));
        assertEquals("GRP#99b3e778-8334-4f68-9076-515ad1934c8a", ListEntryItem.partition(A));
        assertEquals(Optional.of(group), MessageItem.groupOf(MessageItem.partition(group)));
        assertEquals(Optional.of(A), ListEntryItem.ownerOf(ListEntryItem.partition(A)));
        assertEquals(Optional.empty(), MessageItem.groupOf(ListEntryItem.partition(A)));
        assertEquals(Optional.empty(), MessageItem.groupOf("MSG#not-a-uuid"));
    }

    @Test
    void aPairHasOneKeyInBothDirections() {
        assertEquals(PairItem.partition(A, B), PairItem.partition(B, A));
        assertEquals("PAIR#99b3e778-8334-4f68-9076-515ad1934c8a#cd52b8bf-1758-4f91-bb52-e49c598b1410", PairItem.partition(B, A));
    }

    @Test
    void timestampsAreUtcWithMicrosecondsAndAnOffset() {
        assertEquals("2026-11-24T09:30:15.123456+00:00", Timestamps.format(Instant.parse("2026-11-24T09:30:15.123456789Z")));
        assertEquals("2026-01-01T00:00:00.000000+00:00", Timestamps.format(Instant.parse("2026-01-01T00:00:00Z")));
        assertEquals(Optional.of(Instant.parse("2026-11-24T09:30:15.123456Z")), Timestamps.parse("2026-11-24T09:30:15.123456+00:00"));
        for (String other : List.of("2026-11-24T09:30:15.123456Z", "2026-11-24T09:30:15.123+00:00",
                "2026-11-24T10:30:15.123456+01:00", "2026-11-24 09:30:15.123456+00:00", "2026-02-30T09:30:15.123456+00:00")) {
            assertEquals(Optional.empty(), Timestamps.parse(other), other);
        }
    }

    @Test
    void sortKeysSortAsStringsInTimeOrder() {
        List<Instant> instants = List.of(Instant.parse("2025-12-31T23:59:59.999999Z"), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00.000001Z"), Instant.parse("2026-10-01T08:00:00Z"));
        List<String> keys = instants.stream().map(Timestamps::format).toList();
        assertEquals(keys.stream().sorted().toList(), keys);
    }

    @Test
    void theNextFreeSortKeyIsLaterAndNeverAheadOfTheClockUnlessItMustBe() {
        Instant taken = Instant.parse("2026-01-01T00:00:00.000005Z");
        assertEquals(Instant.parse("2026-01-01T00:00:00.000006Z"), Timestamps.nextFree(taken, taken));
        Instant later = Instant.parse("2026-01-01T00:00:01Z");
        assertEquals(later, Timestamps.nextFree(taken, later));
        assertTrue(Timestamps.nextFree(taken, taken.minusSeconds(1)).isAfter(taken));
    }
}
