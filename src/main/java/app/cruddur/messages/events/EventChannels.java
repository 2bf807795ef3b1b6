package app.cruddur.messages.events;

import app.cruddur.messages.events.wire.UserEvent;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/** The users' event channels, as the hub ({@link MessageEvents}) uses them; {@link UserChannels} is the real one. */
public interface EventChannels {

    /** What the channels tell the hub. */
    interface Receiver {
        void received(UUID user, UserEvent event);

        /** The channels are gone: no stream can be fed any longer. */
        void unavailable();
    }

    /** Whether events flow now. */
    boolean available();

    /** Receives the user's channel; completes once the user's events reach the receiver. */
    Uni<Void> subscribe(UUID user);

    /** Stops receiving the user's channel. */
    void unsubscribe(UUID user);

    /** Sets who is told of received events (the hub, once). */
    void receiver(Receiver receiver);
}
