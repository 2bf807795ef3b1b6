package app.cruddur.messages.conversation.service;

import app.cruddur.messages.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/** The rules for a message's text. Text is stored exactly as sent: no trimming, no normalisation. */
public final class MessageText {


    private MessageText() {
    }

    /** The codes of the rules {@code text} breaks; empty when it may be stored. */
    public static List<ErrorCode> problems(String text, int maxChars) {
        List<ErrorCode> problems = new ArrayList<>();
        if (text == null || isBlank(text)) {
            problems.add(ErrorCode.MESSAGE_BLANK);
            return problems;
        }
        if (hasLoneSurrogate(text)) {
            // Half of an emoji cannot be stored as UTF-8 and would come back as '?'.
            problems.add(ErrorCode.MESSAGE_INVALID_UNICODE);
        }
        if (text.codePointCount(0, text.length()) > maxChars) {
            problems.add(ErrorCode.MESSAGE_EXCEED_MAX_CHARS);
        }
        return problems;
    }

    /**
     * Nothing visible: every code point is white space or Default_Ignorable_Code_Point. White space
     * is Java's whitespace and space separators (the no-break and ideographic spaces included) and
     * NEL, U+0085, which Java counts as neither: together all of Unicode's White_Space. Default
     * ignorables have no visible form of their own: zero-width spaces and joiners, bidi controls,
     * the Mongolian vowel separator, variation selectors, the Hangul fillers, tags.
     */
    static boolean isBlank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85
                || isDefaultIgnorable(c));
    }

    /** Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 15). */
    static boolean isDefaultIgnorable(int c) {
        return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5
                || (c >= 0x180B && c <= 0x180F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x206F) || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF
                || c == 0xFFA0 || (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0x1BCA0 && c <= 0x1BCA3)
                || (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE0FFF);
    }

    static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
