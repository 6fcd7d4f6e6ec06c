package io.idnode.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the node's command line ({@link Main#commandLine}) in this JVM: its exit code and what it printed. */
record CommandRun(int exit, String out, String err) {

    /** Runs the command line with {@code args}, capturing its output and its errors. */
    static CommandRun run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }
}
