package app.cruddur.infra;

import app.cruddur.infra.network.Network;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionProps;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The stack's Lambdas (the stream projection, the sign-up trigger) as they all run: a shaded jar on
 * one Java runtime and architecture, in the private subnets, with a role, a log group and a security
 * group of their own.
 */
public final class JavaLambdas {

    private JavaLambdas() {
    }

    /**
     * The newest Java runtime that Lambda offers and this CDK knows. The jars are built for Java 25, as the
     * service is; LambdaRuntimeIT and SignUpLambdaRuntimeIT run them on a Java 25 JVM.
     */
    public static final Runtime RUNTIME = Runtime.JAVA_25;

    /**
     * The function {@code Function} under {@code scope}. With {@code snapStart}, each published version
     * is initialised once and its snapshot resumed (the handler must hold no connection, credential or
     * random seed from its initialisation: StreamLambdaHandler opens its connections on first use).
     */
    public static Function inPrivateSubnets(Construct scope, String description, String handler, String jarPath,
                                            int memoryMb, int timeoutSeconds, Role role, LogGroup logGroup, IVpc vpc,
                                            SecurityGroup securityGroup, Map<String, String> environment, boolean snapStart) {
        return new Function(scope, "Function", FunctionProps.builder()
                .description(description)
                .runtime(RUNTIME)
                .snapStart(snapStart ? SnapStartConf.ON_PUBLISHED_VERSIONS : null)
                .architecture(Architecture.X86_64)
                .handler(handler)
                .code(Code.fromAsset(jarPath))
                .memorySize(memoryMb)
                .timeout(Duration.seconds(timeoutSeconds))
                .role(role)
                .logGroup(logGroup)
                .vpc(vpc)
                .vpcSubnets(Network.PRIVATE)
                .securityGroups(List.of(securityGroup))
                .environment(environment)
                // Each invocation is a trace segment in X-Ray (the role may PutTraceSegments).
                .tracing(Tracing.ACTIVE)
                .build());
    }
}
