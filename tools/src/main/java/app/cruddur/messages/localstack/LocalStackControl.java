package app.cruddur.messages.localstack;

import java.util.function.Function;

final class LocalStackControl implements LocalStackControlMBean {

    private final String coordinates;
    private final Function<String, String> commands;

    LocalStackControl(String coordinates, Function<String, String> commands) {
        this.coordinates = coordinates;
        this.commands = commands;
    }

    @Override
    public String getCoordinates() {
        return coordinates;
    }

    @Override
    public String command(String line) {
        try {
            return commands.apply(line);
        } catch (LocalStackException e) {
            // Callers may live in another class loader: hand them a JDK exception.
            throw new IllegalStateException(e.getMessage());
        }
    }
}
