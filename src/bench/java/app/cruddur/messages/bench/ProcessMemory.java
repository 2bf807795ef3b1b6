package app.cruddur.messages.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A process's resident memory from {@code /proc/<pid>/status}: now (VmRSS, RssAnon, RssFile) and its peak (VmHWM). */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Resident memory in KiB: {@code field} is VmRSS or VmHWM. */
    static long kib(long pid, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (String line : lines) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the memory of process " + pid, e);
        }
        throw new IllegalStateException("no " + field + " for process " + pid);
    }

    /**
     * Now, the peak, and what the resident memory is now: anonymous (the heap, the JVM's and native
     * allocations, which only the process can give back) and file-backed (the jars, the libraries and an
     * AOT cache mapped from disk, which the kernel may drop and read again).
     */
    static String describe(long pid) {
        return String.format("RSS %.0f MiB, peak RSS %.0f MiB (now %.0f MiB anonymous, %.0f MiB file-backed)", kib(pid, "VmRSS") / 1024.0,
                kib(pid, "VmHWM") / 1024.0, kib(pid, "RssAnon") / 1024.0, kib(pid, "RssFile") / 1024.0);
    }
}
