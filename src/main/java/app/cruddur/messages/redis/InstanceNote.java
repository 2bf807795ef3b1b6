package app.cruddur.messages.redis;

import java.util.Optional;

/**
 * A short note from one instance to every instance (itself included), through the fan-out's
 * channel {@code cruddur:notes}: that something the instances cache changed. {@link InstanceNotes}
 * fires each received note as a CDI event, and {@link #MISSED} after (re)subscribing, when notes
 * sent meanwhile may have been lost; an instance that could not send a note while Redis was away
 * publishes {@link #MISSED} to all once it is back.
 */
public record InstanceNote(String topic, String body) {

    /** Notes may have been lost (Redis was unavailable): forget everything a note would have changed. */
    public static final String MISSED = "missed";

    public InstanceNote {
        if (topic.isEmpty() || topic.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a note's topic is one line");
        }
    }

    String wire() {
        return topic + "\n" + body;
    }

    static Optional<InstanceNote> fromWire(String wire) {
        int newline = wire.indexOf('\n');
        return newline <= 0 ? Optional.empty() : Optional.of(new InstanceNote(wire.substring(0, newline), wire.substring(newline + 1)));
    }
}
