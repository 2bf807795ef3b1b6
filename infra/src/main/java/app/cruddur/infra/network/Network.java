package app.cruddur.infra.network;

import app.cruddur.infra.Access;
import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpoint;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcProps;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * The VPC: public subnets for the load balancer and the NAT gateways, private subnets (egress
 * through NAT) for the tasks, the projection Lambda and DAX. The tasks need the internet for
 * Cognito's JWKS; DynamoDB is reached through a gateway endpoint instead, which also keeps that
 * traffic off the (metered) NAT gateways, and so are the image's layers, which ECR serves from S3
 * (a gateway endpoint costs nothing).
 */
public final class Network extends Construct {

    /** The private subnets: tasks, the Lambda's interfaces, the DAX nodes. */
    public static final SubnetSelection PRIVATE = SubnetSelection.builder()
            .subnetType(SubnetType.PRIVATE_WITH_EGRESS)
            .build();

    /** The public subnets: the load balancer and the NAT gateways. */
    public static final SubnetSelection PUBLIC = SubnetSelection.builder()
            .subnetType(SubnetType.PUBLIC)
            .build();

    private final Vpc vpc;
    private final GatewayVpcEndpoint dynamoDbEndpoint;
    private final GatewayVpcEndpoint s3Endpoint;

    public Network(Construct scope, String id, int zones, int natGateways) {
        super(scope, id);

        vpc = new Vpc(this, "Vpc", VpcProps.builder()
                .ipAddresses(IpAddresses.cidr("10.20.0.0/16"))
                .maxAzs(zones)
                .natGateways(natGateways)
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(20).build()))
                // Nothing uses the default security group; restricting it would add a custom
                // resource (a Lambda with an AWS managed policy) to the stack.
                .restrictDefaultSecurityGroup(false)
                .build());

        dynamoDbEndpoint = vpc.addGatewayEndpoint("DynamoDb", GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.DYNAMODB)
                .subnets(List.of(PRIVATE))
                .build());

        // Nothing in the VPC uses S3 but ECR's layer downloads (the tasks' image): the endpoint lets
        // through reads of ECR's layer bucket in this region and nothing else.
        s3Endpoint = vpc.addGatewayEndpoint("S3", GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.S3)
                .subnets(List.of(PRIVATE))
                .build());
        PolicyStatement layers = Access.allow(Access.IMAGE_LAYER_READ_ACTIONS,
                "arn:" + Aws.PARTITION + ":s3:::prod-" + Aws.REGION + "-starport-layer-bucket/*");
        layers.addPrincipals(new AnyPrincipal());
        s3Endpoint.addToPolicy(layers);
    }

    /**
     * Limits what passes through the DynamoDB endpoint to {@link Access#endpointActions()} on the
     * table, its indexes and the key table. An endpoint policy is a filter in addition to the callers' IAM
     * policies, so the principal is "anyone" here and the roles still decide who may do what.
     * The stream is not listed: stream reads go to the DynamoDB Streams endpoint, which a gateway
     * endpoint does not serve (and the event source mapping polls from outside the VPC).
     */
    public void limitDynamoDbEndpointTo(String tableArn, String indexArn, String keyTableArn) {
        PolicyStatement statement = Access.allow(Access.endpointActions(), tableArn, indexArn, keyTableArn);
        statement.addPrincipals(new AnyPrincipal());
        dynamoDbEndpoint.addToPolicy(statement);
    }

    public Vpc vpc() {
        return vpc;
    }

    public GatewayVpcEndpoint dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public GatewayVpcEndpoint s3Endpoint() {
        return s3Endpoint;
    }
}
