package app.cruddur.messages.seed;

import app.cruddur.messages.seed.SeedUsers.SeedUser;
import app.cruddur.messages.table.ConversationItem;
import app.cruddur.messages.table.ListEntryItem;
import app.cruddur.messages.table.MessageItem;
import app.cruddur.messages.table.TextKey;
import app.cruddur.messages.table.PairItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The seed's conversation between andrewbrown and bayko, built from {@code seed/conversation.txt}
 * (one message per line, {@code A|text} or {@code B|text}) so that it ends at a given instant.
 */
public record SeedConversation(List<MessageItem> messages, ConversationItem conversation, PairItem pair,
                               List<ListEntryItem> listEntries) {

    /** The reference's fixed conversation uuid. */
    public static final UUID MESSAGE_GROUP_UUID = UUID.fromString("5ae290ed-55d1-47a0-bc6d-fe2bc2700399");
    private static final String TEXTS = "/seed/conversation.txt";

    /** The conversation ending at {@code end}, its texts sealed with {@code key} (the conversation's). */
    public static SeedConversation endingAt(Instant end, TextKey key) {
        List<String> lines = lines();
        SeedUser a = SeedUsers.ANDREW_BROWN;
        SeedUser b = SeedUsers.BAYKO;
        // Walk back from the end: a few minutes between replies, and a night's pause every 30 messages.
        Instant[] times = new Instant[lines.size()];
        Instant at = end;
        for (int i = lines.size() - 1; i >= 0; i--) {
            times[i] = at;
            at = at.minus(Duration.ofSeconds(47 + (i * 7919L) % 600));
            if (i % 30 == 0) {
                at = at.minus(Duration.ofHours(14));
            }
        }
        List<MessageItem> messages = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            SeedUser sender = line.startsWith("A|") ? a : b;
            // Stable message uuids: the same line is the same message in every seeded database.
            UUID messageUuid = UUID.nameUUIDFromBytes((MESSAGE_GROUP_UUID + "#" + i).getBytes(StandardCharsets.UTF_8));
            messages.add(MessageItem.sealed(key, MESSAGE_GROUP_UUID, times[i], messageUuid, line.substring(2),
                    sender.uuid(), sender.displayName(), sender.handle()));
        }
        MessageItem last = messages.get(messages.size() - 1);
        List<ListEntryItem> entries = List.of(
                new ListEntryItem(a.uuid(), last.createdAt(), MESSAGE_GROUP_UUID, last.message(), b.uuid(), b.displayName(), b.handle()),
                new ListEntryItem(b.uuid(), last.createdAt(), MESSAGE_GROUP_UUID, last.message(), a.uuid(), a.displayName(), a.handle()));
        return new SeedConversation(messages,
                new ConversationItem(MESSAGE_GROUP_UUID, Set.of(a.uuid(), b.uuid()), messages.get(0).createdAt()),
                new PairItem(a.uuid(), b.uuid(), MESSAGE_GROUP_UUID),
                entries);
    }

    private static List<String> lines() {
        try (InputStream in = SeedConversation.class.getResourceAsStream(TEXTS)) {
            if (in == null) {
                throw new IllegalStateException(TEXTS + " is missing from the classpath");
            }
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank())
                    .toList();
            for (String line : lines) {
                if (!line.startsWith("A|") && !line.startsWith("B|")) {
                    throw new IllegalStateException(TEXTS + ": every line starts with A| or B|, not: " + line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
