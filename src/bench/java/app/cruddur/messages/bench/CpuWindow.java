package app.cruddur.messages.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The CPU time that the service, DynamoDB Local and this benchmark's own JVM (the client: the HTTP
 * load generator, or the SDK-direct client) spend during a benchmark's measurement iterations. Each
 * benchmark method takes it as a parameter; JMH runs the setup and teardown between iterations, so
 * the windows cover the measured operations. At the end of the trial the totals go to a file that
 * {@link LoadBenchmarkMain} divides by the operations JMH counted.
 */
@State(Scope.Benchmark)
public class CpuWindow {

    static final List<String> PROCESSES = List.of("service", "dynamodb", "client");

    private long[] pids;
    private long[] started;
    private final long[] total = new long[PROCESSES.size()];
    private boolean measuring;

    @Setup(Level.Trial)
    public void findProcesses() {
        LoadTarget target = LoadTarget.fromSystemProperties();
        pids = new long[] {target.servicePid(), target.dynamodbPid(), ProcessHandle.current().pid()};
    }

    @Setup(Level.Iteration)
    public void open(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        if (measuring) {
            started = read();
        }
    }

    @TearDown(Level.Iteration)
    public void close() {
        if (measuring) {
            long[] now = read();
            for (int i = 0; i < total.length; i++) {
                total[i] += now[i] - started[i];
            }
        }
    }

    @TearDown(Level.Trial)
    public void write(BenchmarkParams benchmark) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < total.length; i++) {
            lines.append(PROCESSES.get(i)).append('=').append(total[i]).append('\n');
        }
        try {
            Path file = file(Path.of(LoadTarget.fromSystemProperties().cpuDir()), benchmark.getBenchmark());
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the totals of one benchmark (its full name) are written. */
    static Path file(Path dir, String benchmark) {
        return dir.resolve(benchmark + ".cpu");
    }

    private long[] read() {
        long[] now = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            now[i] = ProcessCpu.nanos(pids[i]);
        }
        return now;
    }
}
