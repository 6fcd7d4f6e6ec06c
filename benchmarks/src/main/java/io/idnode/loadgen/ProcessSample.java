package io.idnode.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a Linux process, read from {@code /proc/PID/stat} (utime and stime, fields
 * 14 and 15, in clock ticks) and {@code /proc/PID/status} ({@code VmRSS}, kB).
 *
 * @param nanoTime  when the sample was taken ({@link System#nanoTime()})
 * @param cpuTicks  user + system CPU time in clock ticks
 * @param rssKiB    resident set size
 */
public record ProcessSample(long nanoTime, long cpuTicks, long rssKiB) {
    /**
     * Clock ticks per second. Java cannot ask {@code sysconf(_SC_CLK_TCK)}; Linux reports CPU time in
     * USER_HZ, which is 100 on every mainstream architecture.
     */
    public static final int CLOCK_TICKS_PER_SECOND = 100;

    /** Samples process {@code pid} ({@code "self"} for this one). */
    public static ProcessSample of(String pid) throws IOException {
        Path proc = Path.of("/proc", pid);
        String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
        // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // After the name, field 3 (state) is f[0]; utime (14) is f[11] and stime (15) is f[12].
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        long rss = 0;
        for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).trim().split(" +")[0]);
            }
        }
        return new ProcessSample(System.nanoTime(), ticks, rss);
    }

    /** CPU used between {@code earlier} and this sample, in percent of one core. */
    public double cpuPercentSince(ProcessSample earlier) {
        long nanos = nanoTime - earlier.nanoTime;
        if (nanos <= 0) {
            return 0;
        }
        double cpuSeconds = (double) (cpuTicks - earlier.cpuTicks) / CLOCK_TICKS_PER_SECOND;
        return 100.0 * cpuSeconds / (nanos / 1e9);
    }
}
