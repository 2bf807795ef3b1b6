package app.cruddur.messages.conversation.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.messages.error.ErrorCode;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTextTest {

    @Test
    void blankIsAnythingWithoutAVisibleCharacter() {
        for (String blank : List.of("", " ", "\t\n\r", "\u00A0", "\u2003\u3000", "\u200B\uFEFF")) {
            assertEquals(List.of(ErrorCode.MESSAGE_BLANK), MessageText.problems(blank, 1024), "[" + blank + "]");
        }
        assertEquals(List.of(ErrorCode.MESSAGE_BLANK), MessageText.problems(null, 1024));
        assertEquals(List.of(), MessageText.problems(" . ", 1024));
        assertEquals(List.of(), MessageText.problems("\u0301", 1024));
    }

    @Test
    void everyUnicodeWhiteSpaceAndDefaultIgnorableCodePointIsBlank() {
        int[] whiteSpace = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
                0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
        int[] invisible = {0xAD, 0x34F, 0x61C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180E, 0x180F, 0x200B, 0x200C,
                0x200D, 0x200E, 0x200F, 0x202A, 0x202E, 0x2060, 0x2064, 0x2066, 0x206F, 0x3164, 0xFE00, 0xFE0F, 0xFEFF,
                0xFFA0, 0xFFF0, 0x1BCA0, 0x1D173, 0x1D17A, 0xE0001, 0xE0020, 0xE007F, 0xE0100, 0xE01EF, 0xE0FFF};
        for (int[] set : new int[][] {whiteSpace, invisible}) {
            for (int c : set) {
                assertEquals(List.of(ErrorCode.MESSAGE_BLANK), MessageText.problems(Character.toString(c), 1024), Integer.toHexString(c));
                assertEquals(List.of(), MessageText.problems("a" + Character.toString(c), 1024), Integer.toHexString(c));
            }
        }
        // Visible characters next to them: a blank-looking Braille cell, a combining mark, a word joiner inside a word.
        assertEquals(List.of(), MessageText.problems("\u2800", 1024));
        assertEquals(List.of(), MessageText.problems("\u00A0\u0301\u3000", 1024));
        assertEquals(List.of(), MessageText.problems("a\u2060b", 1024));
    }

    @Test
    void lengthCountsCodePointsNotUtf16Units() {
        assertEquals(List.of(), MessageText.problems("🙂".repeat(1024), 1024));
        assertEquals(List.of(ErrorCode.MESSAGE_EXCEED_MAX_CHARS), MessageText.problems("🙂".repeat(1025), 1024));
        assertEquals(List.of(), MessageText.problems("a".repeat(1024), 1024));
        assertEquals(List.of(ErrorCode.MESSAGE_EXCEED_MAX_CHARS), MessageText.problems("a".repeat(1025), 1024));
    }

    @Test
    void halfASurrogatePairIsRejected() {
        assertEquals(List.of(ErrorCode.MESSAGE_INVALID_UNICODE), MessageText.problems("x\uD83D", 1024));
        assertEquals(List.of(ErrorCode.MESSAGE_INVALID_UNICODE), MessageText.problems("\uDE42x", 1024));
        assertEquals(List.of(), MessageText.problems("\uD83D\uDE42", 1024));
    }
}
