package io.idnode.server;

import java.lang.management.ManagementFactory;

/** Stand-in main class for {@link LauncherTest}: prints its pid, JVM options and arguments, one a line. */
public final class LauncherProbe {
    private LauncherProbe() {
    }

    public static void main(String[] args) {
        System.out.println("pid=" + ProcessHandle.current().pid());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            System.out.println("option=" + option);
        }
        for (String arg : args) {
            System.out.println("arg=" + arg);
        }
        System.out.println("MALLOC_ARENA_MAX=" + System.getenv("MALLOC_ARENA_MAX"));
    }
}
