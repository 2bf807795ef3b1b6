package app.cruddur.messages.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.cruddur.messages.support.ServiceProcess;
import app.cruddur.messages.support.TwoInstances;
import app.cruddur.messages.localstack.LocalStackProcess;
import app.cruddur.messages.support.CruddurFrontend;
import app.cruddur.messages.support.CruddurFrontend.Sent;
import app.cruddur.messages.support.Race;
import app.cruddur.messages.support.UsersTable;
import app.cruddur.messages.support.UsersTable.Member;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes across service instances: two packaged services in the prod profile on one
 * local stack, as two tasks behind a load balancer. The prod profile runs no stream consumer, so
 * nothing but the POST itself can have brought a list up to date. Each POST goes to one instance
 * and the reads right after it to the other.
 */
class FrontendTwoInstancesIT {

    private static TwoInstances instances;
    private static LocalStackProcess stack;
    private static ServiceProcess first;
    private static ServiceProcess second;

    @BeforeAll
    static void twoInstances() throws Exception {
        instances = TwoInstances.start("service");
        stack = instances.stack();
        first = instances.first();
        second = instances.second();
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
    }


    @Test
    void whatOneInstanceStoredIsInBothListsReadThroughTheOther() throws Exception {
        Member alice = UsersTable.signUp(stack, "twoa");
        Member bob = UsersTable.signUp(stack, "twob");
        CruddurFrontend one = new CruddurFrontend(first.baseUri());
        CruddurFrontend two = new CruddurFrontend(second.baseUri());

        Sent opened = one.send(alice.token(), Map.of("message", "hello from one", "handle", bob.handle()));
        CruddurFrontend.assertListShows(two.messageGroupsPage(alice.token()), opened.message());
        CruddurFrontend.assertListShows(two.messageGroupsPage(bob.token()), opened.message());

        for (int i = 0; i < 20; i++) {
            CruddurFrontend writer = i % 2 == 0 ? two : one;
            CruddurFrontend reader = i % 2 == 0 ? one : two;
            Member sender = i % 3 == 0 ? alice : bob;
            Sent reply = writer.send(sender.token(), Map.of("message", "reply " + i, "message_group_uuid", opened.group()));
            CruddurFrontend.assertListShows(reader.messageGroupsPage(alice.token()), reply.message());
            CruddurFrontend.assertListShows(reader.messageGroupsPage(bob.token()), reply.message());
        }
    }

    @Test
    void concurrentSendersOnBothInstancesEachSeeTheirMessageOrANewerOneAtOnce() throws Exception {
        Member alice = UsersTable.signUp(stack, "twoc");
        Member bob = UsersTable.signUp(stack, "twod");
        List<CruddurFrontend> instances = List.of(new CruddurFrontend(first.baseUri()), new CruddurFrontend(second.baseUri()));
        String group = instances.get(0).send(alice.token(), Map.of("message", "open", "handle", bob.handle())).group();

        List<Integer> checked = Race.of(6, i -> {
            Member sender = i % 2 == 0 ? alice : bob;
            for (int n = 0; n < 6; n++) {
                CruddurFrontend writer = instances.get((i + n) % 2);
                CruddurFrontend reader = instances.get((i + n + 1) % 2);
                JsonNode sent = writer.send(sender.token(), Map.of("message", "c" + i + "-" + n, "message_group_uuid", group))
                        .message();
                CruddurFrontend.assertListShows(reader.messageGroupsPage(alice.token()), sent);
                CruddurFrontend.assertListShows(reader.messageGroupsPage(bob.token()), sent);
            }
            return 6;
        });
        assertEquals(36, checked.stream().mapToInt(Integer::intValue).sum());
        for (Member member : List.of(alice, bob)) {
            for (CruddurFrontend instance : instances) {
                long rows = instance.messageGroupsPage(member.token()).stream()
                        .filter(entry -> entry.path("uuid").asText().equals(group)).count();
                assertEquals(1, rows, "one row per conversation");
            }
        }
    }

}
