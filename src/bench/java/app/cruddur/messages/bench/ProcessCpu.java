package app.cruddur.messages.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a process has spent so far, user and system, all its threads (JIT compiler and
 * garbage collector included), read from {@code /proc/<pid>/stat}: the figure that noise on a
 * shared machine moves least, because a process that waits for a core is not charged for the wait.
 */
final class ProcessCpu {

    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux (fixed at 100 for user space). */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** CPU nanoseconds of {@code pid} so far (10 ms resolution). */
    static long nanos(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return (utime + stime) * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
