package app.cruddur.messages.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.cruddur.messages.events.wire.EventId;
import app.cruddur.messages.events.wire.EventKind;
import app.cruddur.messages.events.wire.UserEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Event ids and the events' form on Redis: what is sent parses back, anything else does not, and ids sort as a replay sends them. */
class EventIdTest {

    private static final UUID GROUP = UUID.fromString("5ae290ed-55d1-47a0-bc6d-fe2bc2700399");
    private static final Instant AT = Instant.parse("2026-12-01T10:15:30.123456Z");

    @Test
    void anIdParsesBackToItself() {
        EventId message = new EventId(AT, EventKind.MESSAGE, GROUP);
        assertEquals("2026-12-01T10:15:30.123456+00:00/m/" + GROUP, message.format());
        assertEquals(Optional.of(message), EventId.parse(message.format()));
        EventId row = new EventId(AT, EventKind.LIST_ENTRY, GROUP);
        assertEquals(Optional.of(row), EventId.parse(row.format()));
    }

    @Test
    void anythingElseIsNoId() {
        for (String id : List.of("", "42", "/m/" + GROUP, "2026-12-01T10:15:30.123456+00:00/q/" + GROUP,
                "2026-12-01T10:15:30.123456+00:00/m/not-a-uuid", "2026-12-01T10:15:30.123+00:00/m/" + GROUP,
                "2026-12-01T10:15:30.123456 00:00/m/" + GROUP, "2026-12-01T10:15:30.123456+00:00/m")) {
            assertEquals(Optional.empty(), EventId.parse(id), id);
        }
        assertEquals(Optional.empty(), EventId.parse(null));
    }

    @Test
    void anEventOnTheChannelKeepsItsTraceAndAnEventWithoutOneKeepsTheOldForm() {
        UserEvent plain = new UserEvent(new EventId(AT, EventKind.MESSAGE, GROUP), "{\"message\":\"c1:x\"}");
        assertEquals("message\n" + plain.id().format() + "\n" + plain.data(), plain.wire(), "three lines, as before traces");
        assertEquals(Optional.of(plain), UserEvent.fromWire(plain.wire()));

        String traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        UserEvent traced = plain.tracedBy(traceParent);
        assertEquals(traceParent + "\n" + plain.wire(), traced.wire(), "the trace on a line of its own, first");
        assertEquals(Optional.of(traced), UserEvent.fromWire(traced.wire()));
        assertEquals(Optional.empty(), UserEvent.fromWire("not-a-trace\n" + plain.wire()), "a first line that is neither");
    }

    @Test
    void idsSortByTimeThenAMessageBeforeTheRowItMovedThenConversation() {
        EventId rowEarlier = new EventId(AT.minusNanos(1000), EventKind.LIST_ENTRY, GROUP);
        EventId message = new EventId(AT, EventKind.MESSAGE, GROUP);
        EventId row = new EventId(AT, EventKind.LIST_ENTRY, GROUP);
        assertEquals(List.of(rowEarlier, message, row), List.of(row, message, rowEarlier).stream().sorted().toList());
        assertTrue(message.isAfter(EventId.before(AT)));
        assertTrue(EventId.before(AT).isAfter(rowEarlier));
    }
}
