package io.idnode.client.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of an import on a terminal: items finished of the total, rate and time left, redrawn in place on
 * standard error a few times a second. {@link #NONE} when the output is not a terminal or is for scripts.
 */
interface ImportProgress extends AutoCloseable {
    /** No progress shown. */
    ImportProgress NONE = new ImportProgress() {
        @Override
        public void finished(long items) {
        }

        @Override
        public void close() {
        }
    };

    /** {@code items} have finished so far, this run and the runs before it. */
    void finished(long items);

    @Override
    void close();

    /** A bar of {@code total} items starting at {@code done} (those of an earlier run), drawn on {@code err}. */
    static ImportProgress bar(String task, long total, long done, PrintStream err) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" ids", 1).showSpeed().setSpeedUnit(ChronoUnit.SECONDS)
                .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(err))
                .startsFrom(done, Duration.ZERO).build();
        return new ImportProgress() {
            @Override
            public void finished(long items) {
                bar.stepTo(items);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
