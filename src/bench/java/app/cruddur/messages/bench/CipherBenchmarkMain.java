package app.cruddur.messages.bench;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code bin/bench-cipher}: {@link CipherBenchmark} (JMH, CPU time per request of patterns A, B and
 * C spent encrypting or decrypting), then the size of the stored items under each candidate, which
 * decides their write capacity.
 */
public final class CipherBenchmarkMain {

    private CipherBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(CipherBenchmark.class.getName()).build()).run();
        Map<String, Double> micros = new TreeMap<>();
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark();
            micros.put(method.substring(method.lastIndexOf('.') + 1), result.getPrimaryResult().getScore());
        }
        if (micros.size() != 6) {
            throw new IllegalStateException("benchmarks that ran: " + micros.keySet() + "; see the errors above");
        }
        System.out.println();
        System.out.println("Time per request spent in the cipher, µs (JMH average, one thread)");
        System.out.println("pattern                          |   Tink AEAD | DB Encryption SDK |  ratio");
        for (String[] row : List.of(new String[] {"B  a page of 20 messages", "PageB"},
                new String[] {"A  a list of 10 entries", "ListA"},
                new String[] {"C  a reply, both entries moved", "ReplyC"})) {
            double tink = micros.get("tink" + row[1]);
            double sdk = micros.get("itemEncryptor" + row[1]);
            System.out.printf("%-32s | %11.1f | %17.1f | %6.0f%n", row[0], tink, sdk, sdk / tink);
        }
        CipherBenchmark state = new CipherBenchmark();
        state.setUp();
        System.out.println();
        System.out.println("Stored size of an item, bytes as DynamoDB counts them (WCU per write: 1 per started KB)");
        System.out.println("item                    | plaintext | Tink AEAD | DB Encryption SDK");
        sizes("message (100 characters)", state.reply.toItem(), state.tinkPage.get(0), state.sdkPage.get(0));
        sizes("list entry", state.senderEntry.toItem(), state.tinkList.get(0), state.sdkList.get(0));
    }

    private static void sizes(String name, Map<String, AttributeValue> plain, Map<String, AttributeValue> tink,
                              Map<String, AttributeValue> sdk) {
        System.out.printf("%-23s | %9d | %9d | %17d%n", name, ItemSizes.of(plain), ItemSizes.of(tink), ItemSizes.of(sdk));
    }
}
