package app.cruddur.infra;

import software.amazon.awscdk.App;

/** The CDK app: reads the settings from the context and defines the one stack. */
public final class InfraApp {

    public static final String STACK_NAME = "CruddurMessages";

    private InfraApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        createStack(app);
        app.synth();
    }

    /**
     * Defines the stack in {@code app} from its context. {@code account} and {@code region}
     * default to the CLI's CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION (the current credentials).
     */
    public static MessagesStack createStack(App app) {
        StackSettings settings = StackSettings.fromContext(key -> {
            Object value = app.getNode().tryGetContext(key);
            if (value == null && key.equals("account")) {
                return System.getenv("CDK_DEFAULT_ACCOUNT");
            }
            if (value == null && key.equals("region")) {
                return System.getenv("CDK_DEFAULT_REGION");
            }
            return value;
        });
        return new MessagesStack(app, STACK_NAME, settings);
    }
}
