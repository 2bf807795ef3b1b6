package app.cruddur.messages.conversation.service;

import java.util.ArrayList;
import java.util.List;

/** The rules for a message's text. Text is stored exactly as sent: no trimming, no normalisation. */
public final class MessageText {

    public static final String BLANK = "message_blank";
    public static final String TOO_LONG = "message_exceed_max_chars";
    public static final String INVALID_UNICODE = "message_invalid_unicode";

    private MessageText() {
    }

    /** The codes of the rules {@code text} breaks; empty when it may be stored. */
    public static List<String> problems(String text, int maxChars) {
        List<String> problems = new ArrayList<>();
        if (text == null || isBlank(text)) {
            problems.add(BLANK);
            return problems;
        }
        if (hasLoneSurrogate(text)) {
            // Half of an emoji cannot be stored as UTF-8 and would come back as '?'.
            problems.add(INVALID_UNICODE);
        }
        if (text.codePointCount(0, text.length()) > maxChars) {
            problems.add(TOO_LONG);
        }
        return problems;
    }

    /** Nothing visible: whitespace and space separators only (also no-break and ideographic spaces). */
    static boolean isBlank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || c == '\u200B' || c == '\u2060' || c == '\uFEFF');
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
