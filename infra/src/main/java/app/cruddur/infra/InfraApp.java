package app.cruddur.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagReportFormat;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;

/**
 * The CDK app: reads the settings from the context, defines the one stack and checks it against
 * cdk-nag's AwsSolutions rules.
 */
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
        MessagesStack stack = new MessagesStack(app, STACK_NAME, settings);
        checkAwsSolutions(stack);
        return stack;
    }

    /**
     * Checks {@code stack} against cdk-nag's AwsSolutions rules when it is synthesized: a finding
     * that is neither fixed nor suppressed (each suppression is in the construct it concerns, with
     * its reason; see {@link Nag}) becomes an error or warning annotation. The CLI stops
     * {@code cdk synth} and {@code cdk deploy} on errors (on warnings too with {@code --strict});
     * AwsSolutionsTest fails on both. The report, {@code AwsSolutions-<stack>-NagReport.json} in
     * the assembly's directory, lists each rule's result per resource.
     */
    public static void checkAwsSolutions(Stack stack) {
        Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder()
                .verbose(true)
                .reportFormats(List.of(NagReportFormat.JSON))
                .build()));
    }
}
