package org.posfleet.perf.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark runners read about another process: its resident memory (Linux). */
final class ProcessStats {

    private ProcessStats() {
    }

    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }
}
