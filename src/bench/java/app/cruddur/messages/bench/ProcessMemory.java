package app.cruddur.messages.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A process's resident memory from {@code /proc/<pid>/status}: now (VmRSS) and its peak (VmHWM). */
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

    static String describe(long pid) {
        return String.format("RSS %.0f MiB, peak RSS %.0f MiB", kib(pid, "VmRSS") / 1024.0, kib(pid, "VmHWM") / 1024.0);
    }
}
