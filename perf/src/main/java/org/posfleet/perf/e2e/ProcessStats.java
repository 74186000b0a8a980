package org.posfleet.perf.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmark runners read about processes: resident memory and CPU time (Linux). */
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

    /** Clock ticks per second of /proc's CPU times: 100 on Linux builds for decades (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100.0;

    /**
     * CPU time used so far, in milliseconds, by a process and (when {@code children}) by its children that have
     * exited and been waited for, which is how a PostgreSQL server's finished backends are counted.
     */
    static double cpuMillis(long pid, boolean children) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        if (children) {
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]); // cutime, cstime
        }
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /**
     * The machine's CPU time so far, in milliseconds summed over its CPUs, spent waiting for the disk (iowait) and
     * taken by the hypervisor for other guests (steal): {iowait, steal}. A stall of the whole machine shows here.
     */
    static double[] machineWaitMillis() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // cpu user nice system idle iowait irq softirq steal
        String[] f = cpu.trim().split("\\s+");
        return new double[] {Long.parseLong(f[5]) * 1000 / TICKS_PER_SECOND, Long.parseLong(f[8]) * 1000 / TICKS_PER_SECOND};
    }
}
