package app.cruddur.messages.localstack;

/** The running local stack as a platform MBean: JDK types only, so any class loader can use it. */
public interface LocalStackControlMBean {

    /** The stack's coordinates as JSON. */
    String getCoordinates();

    /** Sends a control command and returns the reply. */
    String command(String line);
}
