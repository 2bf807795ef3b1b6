package app.cruddur.messages.redis;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * {@link InstanceNote}s between the service's instances, over {@link RedisPubSub}: each received
 * note is fired as a CDI event, and so is {@link InstanceNote#MISSED} whenever the channel is
 * (re)subscribed, since notes sent meanwhile were lost. A note this instance could not send makes
 * it tell every instance {@link InstanceNote#MISSED} once Redis is back.
 */
@ApplicationScoped
public class InstanceNotes {

    /** The channel every instance subscribes to. */
    public static final String CHANNEL = "cruddur:notes";

    private static final Logger LOG = Logger.getLogger(InstanceNotes.class);

    private final RedisPubSub pubSub;
    private final Event<InstanceNote> notes;
    /** A note of this instance reached nobody since the channel was last subscribed. */
    private volatile boolean dropped;

    public InstanceNotes(RedisPubSub pubSub, Event<InstanceNote> notes) {
        this.pubSub = pubSub;
        this.notes = notes;
    }

    void start(@Observes @Priority(5) StartupEvent event) {
        pubSub.handle(CHANNEL, (channel, payload) -> {
            if (channel.equals(CHANNEL)) {
                InstanceNote.fromWire(payload).ifPresent(notes::fire);
            }
        });
        // Wanted from now on, also across reconnections; the confirmation runs subscribed() each time.
        pubSub.subscribe(CHANNEL, this::subscribed);
    }

    /**
     * Tells every instance, this one included; completes once Redis has taken the note (and pushed
     * it to every subscribed instance), or after the deadline. It never fails: unavailable Redis
     * drops the note, and the instances are told {@link InstanceNote#MISSED} once it is back.
     */
    public Uni<Void> tell(InstanceNote note) {
        return pubSub.publishNow(CHANNEL, note.wire()).invoke(taken -> {
            if (!taken) {
                dropped = true;
                LOG.debugf("Dropped the note %s: Redis is unavailable", note.topic());
            }
        }).replaceWithVoid();
    }

    private void subscribed() {
        notes.fire(new InstanceNote(InstanceNote.MISSED, ""));
        if (dropped) {
            dropped = false;
            pubSub.publish(CHANNEL, new InstanceNote(InstanceNote.MISSED, "").wire());
        }
    }
}
