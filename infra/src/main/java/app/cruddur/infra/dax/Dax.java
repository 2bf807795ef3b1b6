package app.cruddur.infra.dax;

import app.cruddur.infra.Access;
import app.cruddur.infra.network.Network;
import app.cruddur.infra.table.MessagesTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dax.CfnCluster;
import software.amazon.awscdk.services.dax.CfnClusterProps;
import software.amazon.awscdk.services.dax.CfnParameterGroup;
import software.amazon.awscdk.services.dax.CfnParameterGroupProps;
import software.amazon.awscdk.services.dax.CfnSubnetGroup;
import software.amazon.awscdk.services.dax.CfnSubnetGroupProps;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.RoleProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * The DAX cluster in front of the table (only when {@code daxEnabled}): three nodes, one per zone,
 * so a node or a zone can fail without losing the cache; encrypted at rest and, with TLS, in
 * transit. The service reaches it on 9111 (the TLS port) from its own security group and nothing
 * else.
 */
public final class Dax extends Construct {

    /** The cluster's TLS port (8111 is the unencrypted one, unused here). */
    public static final int TLS_PORT = 9111;
    public static final int NODES = 3;
    /** The longest a cached Query answer is served. */
    public static final Duration QUERY_TTL = Duration.ofSeconds(5);
    /** DAX's default item TTL, stated so the parameter group is complete. */
    public static final Duration RECORD_TTL = Duration.ofMinutes(5);

    private final CfnCluster cluster;
    private final SecurityGroup securityGroup;

    public Dax(Construct scope, String id, IVpc vpc, MessagesTable table, String clusterName, String nodeType) {
        super(scope, id);

        securityGroup = new SecurityGroup(this, "SecurityGroup", SecurityGroupProps.builder()
                .vpc(vpc)
                .description("DAX cluster: TLS port from the service only")
                .allowAllOutbound(false)
                .build());

        List<ISubnet> subnets = vpc.selectSubnets(Network.PRIVATE).getSubnets();
        CfnSubnetGroup subnetGroup = new CfnSubnetGroup(this, "SubnetGroup", CfnSubnetGroupProps.builder()
                .subnetGroupName(clusterName + "-subnets")
                .description("Private subnets of the messages VPC")
                .subnetIds(subnets.stream().map(ISubnet::getSubnetId).toList())
                .build());

        // The role DAX assumes to read the table on a cache miss.
        Role role = new Role(this, "Role", RoleProps.builder()
                .assumedBy(new ServicePrincipal("dax.amazonaws.com"))
                .description("DAX cluster " + clusterName + ": reads of the messages table")
                .build());
        role.addToPolicy(Access.allow(Access.DAX_TABLE_ACTIONS, table.tableArn()));
        // DAX encrypts its own storage with a key of its own; the table's key is needed only to
        // read the table through DynamoDB.
        role.addToPolicy(Access.tableKey(table.key().getKeyArn(), Stack.of(this).getRegion()));

        // How long DAX may answer a Query from its cache. Writes do not refresh the query cache, so
        // this bounds how stale a message page can be (docs/operations.md, "DAX"): 5 s
        // instead of the default 5 min. The item cache is unused (the service's GetItems are
        // strongly consistent and bypass it); its TTL stays at the default.
        CfnParameterGroup parameters = new CfnParameterGroup(this, "Parameters", CfnParameterGroupProps.builder()
                .parameterGroupName(clusterName + "-parameters")
                .description("Query cache TTL of the messages cluster")
                .parameterNameValues(Map.of(
                        "query-ttl-millis", Long.toString(QUERY_TTL.toMillis()),
                        "record-ttl-millis", Long.toString(RECORD_TTL.toMillis())))
                .build());

        // One node per zone. The list must name a zone per node, so with a two-zone VPC it is
        // left out and DAX spreads the nodes over the subnet group's zones itself.
        List<String> vpcZones = vpc.getAvailabilityZones();
        List<String> zones = vpcZones.size() >= NODES ? vpcZones.subList(0, NODES) : null;

        cluster = new CfnCluster(this, "Cluster", CfnClusterProps.builder()
                .clusterName(clusterName)
                .description("Read cache of the messages table")
                .nodeType(nodeType)
                .replicationFactor(NODES)
                .availabilityZones(zones)
                .iamRoleArn(role.getRoleArn())
                .subnetGroupName(subnetGroup.getRef())
                .parameterGroupName(parameters.getRef())
                .securityGroupIds(List.of(securityGroup.getSecurityGroupId()))
                .sseSpecification(CfnCluster.SSESpecificationProperty.builder().sseEnabled(true).build())
                .clusterEndpointEncryptionType("TLS")
                .build());
        // DAX checks the role when it creates the cluster, so its policy must exist by then.
        cluster.getNode().addDependency(role);
    }

    /** Lets {@code clientGroup} reach the cluster on the TLS port (ingress here, egress there). */
    public void allowFrom(SecurityGroup clientGroup) {
        clientGroup.getConnections().allowTo(securityGroup, Port.tcp(TLS_PORT), "DAX (TLS)");
    }

    /**
     * The discovery endpoint the DAX client takes, with its scheme: {@code daxs://...} for a TLS
     * cluster (the service accepts {@code dax://} and {@code daxs://}).
     */
    public String discoveryEndpointUrl() {
        return cluster.getAttrClusterDiscoveryEndpointUrl();
    }

    public String clusterArn() {
        return cluster.getAttrArn();
    }

    public CfnCluster cluster() {
        return cluster;
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }
}
