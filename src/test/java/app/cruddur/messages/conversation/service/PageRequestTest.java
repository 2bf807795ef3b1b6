package app.cruddur.messages.conversation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.messages.error.ErrorCode;
import static org.junit.jupiter.api.Assertions.assertThrows;

import app.cruddur.messages.conversation.ConversationConfig;
import app.cruddur.messages.error.ValidationException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PageRequestTest {

    private static final ConversationConfig.Paging PAGING = new ConversationConfig.Paging() {
        @Override
        public int defaultLimit() {
            return 20;
        }

        @Override
        public int maxLimit() {
            return 100;
        }
    };

    @Test
    void defaultsAndBounds() {
        assertEquals(new PageRequest(20, Optional.empty()), PageRequest.parse(null, null, PAGING));
        assertEquals(1, PageRequest.parse("1", null, PAGING).limit());
        assertEquals(100, PageRequest.parse("100", null, PAGING).limit());
        for (String bad : List.of("0", "101", "-5", "x", "2.5", "")) {
            ValidationException e = assertThrows(ValidationException.class, () -> PageRequest.parse(bad, null, PAGING));
            assertEquals(List.of(ErrorCode.INVALID_LIMIT), e.errors());
        }
    }

    @Test
    void cursorRoundTripsASortKey() {
        String sk = "2025-12-31T23:59:59.999999+00:00";
        assertEquals(Optional.of(sk), PageRequest.parse(null, PageRequest.encode(sk), PAGING).beforeSk());
    }

    @Test
    void onlyCursorsThatDecodeToATableTimestampAreAccepted() {
        for (String bad : List.of("", "%%%", PageRequest.encode("2025-12-31"), PageRequest.encode("2025-12-31T23:59:59.999999Z"),
                PageRequest.encode("2025-12-31T23:59:59.999999+01:00"), PageRequest.encode("MSG#x"), "A".repeat(100))) {
            ValidationException e = assertThrows(ValidationException.class, () -> PageRequest.parse(null, bad, PAGING));
            assertEquals(List.of(ErrorCode.INVALID_CURSOR), e.errors());
        }
    }

    @Test
    void bothProblemsAreReported() {
        ValidationException e = assertThrows(ValidationException.class, () -> PageRequest.parse("0", "x", PAGING));
        assertEquals(List.of(ErrorCode.INVALID_LIMIT, ErrorCode.INVALID_CURSOR), e.errors());
    }
}
