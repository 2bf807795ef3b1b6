package app.cruddur.infra;

import static app.cruddur.infra.Cfn.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** A security group's rules, wherever CDK put them (inline in the group or as separate resources). */
final class SecurityGroups {

    private SecurityGroups() {
    }

    /**
     * A group's egress rules, inline and separate, without descriptions and with referenced groups
     * as logical ids; CDK's "disallow all" placeholder (ICMP to 255.255.255.255/32) is left out.
     */
    static List<Map<String, Object>> egress(Template template, String groupId) {
        return rules(template, groupId, "SecurityGroupEgress", "AWS::EC2::SecurityGroupEgress");
    }

    /** A group's ingress rules, as {@link #egress}. */
    static List<Map<String, Object>> ingress(Template template, String groupId) {
        return rules(template, groupId, "SecurityGroupIngress", "AWS::EC2::SecurityGroupIngress");
    }

    private static List<Map<String, Object>> rules(Template template, String groupId, String inlineKey, String ruleType) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object rule : Cfn.oneOrMany(Cfn.properties(template, groupId).get(inlineKey))) {
            add(rules, map(rule));
        }
        for (Map<String, Object> resource : Cfn.ofType(template, ruleType).values()) {
            Map<String, Object> properties = new LinkedHashMap<>(map(resource.get("Properties")));
            if (groupId.equals(Cfn.referencedId(properties.remove("GroupId")))) {
                add(rules, properties);
            }
        }
        return rules;
    }

    private static void add(List<Map<String, Object>> rules, Map<String, Object> rule) {
        Map<String, Object> copy = new LinkedHashMap<>(rule);
        copy.remove("Description");
        if ("255.255.255.255/32".equals(copy.get("CidrIp")) && "icmp".equals(copy.get("IpProtocol"))) {
            return;
        }
        // A reference to another group, as that group's logical id.
        for (String key : List.of("SourceSecurityGroupId", "DestinationSecurityGroupId")) {
            if (copy.get(key) instanceof Map<?, ?> reference) {
                copy.put(key, Cfn.referencedId(reference));
            }
        }
        rules.add(copy);
    }
}
