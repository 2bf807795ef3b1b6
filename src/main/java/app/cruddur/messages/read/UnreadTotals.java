package app.cruddur.messages.read;

/** A user's unread totals, for an app badge: conversations with unread messages, and those messages (each conversation's up to 100). */
public record UnreadTotals(int conversations, int messages) {
}
