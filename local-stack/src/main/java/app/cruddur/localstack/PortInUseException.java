package app.cruddur.localstack;

/** A configured port is taken: reported as one line, without a stack trace. */
final class PortInUseException extends RuntimeException {

    PortInUseException(String service, int port, String setting) {
        super("port " + port + " for " + service + " is already in use; stop what is using it or choose another port with "
                + setting);
    }
}
