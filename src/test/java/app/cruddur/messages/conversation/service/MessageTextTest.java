package app.cruddur.messages.conversation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTextTest {

    @Test
    void blankIsAnythingWithoutAVisibleCharacter() {
        for (String blank : List.of("", " ", "\t\n\r", "\u00A0", "\u2003\u3000", "\u200B\uFEFF")) {
            assertEquals(List.of(MessageText.BLANK), MessageText.problems(blank, 1024), "[" + blank + "]");
        }
        assertEquals(List.of(MessageText.BLANK), MessageText.problems(null, 1024));
        assertEquals(List.of(), MessageText.problems(" . ", 1024));
        assertEquals(List.of(), MessageText.problems("\u0301", 1024));
    }

    @Test
    void lengthCountsCodePointsNotUtf16Units() {
        assertEquals(List.of(), MessageText.problems("🙂".repeat(1024), 1024));
        assertEquals(List.of(MessageText.TOO_LONG), MessageText.problems("🙂".repeat(1025), 1024));
        assertEquals(List.of(), MessageText.problems("a".repeat(1024), 1024));
        assertEquals(List.of(MessageText.TOO_LONG), MessageText.problems("a".repeat(1025), 1024));
    }

    @Test
    void halfASurrogatePairIsRejected() {
        assertEquals(List.of(MessageText.INVALID_UNICODE), MessageText.problems("x\uD83D", 1024));
        assertEquals(List.of(MessageText.INVALID_UNICODE), MessageText.problems("\uDE42x", 1024));
        assertEquals(List.of(), MessageText.problems("\uD83D\uDE42", 1024));
    }
}
