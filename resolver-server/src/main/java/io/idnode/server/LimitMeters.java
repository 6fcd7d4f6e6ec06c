package io.idnode.server;

import io.idnode.budget.MemoryBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The node's limits in its meter registry, read from the counters the limits keep themselves (so that a
 * refusal costs an adder increment, not a registry call): {@value #REFUSALS} counts refusals by
 * {@code reason}, the name of the setting whose bound was met; {@value #MEMORY_USED} and
 * {@value #MEMORY_LIMIT} show each memory budget by {@code budget}, also named after its setting.
 */
final class LimitMeters {
    /** Requests refused, connections closed, held state dropped, by the setting that bounds them. */
    static final String REFUSALS = "idnode.refusals";
    /** Bytes a memory budget holds now. */
    static final String MEMORY_USED = "idnode.memory.used";
    /** Bytes a memory budget may hold. */
    static final String MEMORY_LIMIT = "idnode.memory.limit";

    private LimitMeters() {
    }

    /** Shows {@code budget}'s use and limit, and counts its refusals under its name. */
    static void budget(MeterRegistry registry, MemoryBudget budget) {
        Gauge.builder(MEMORY_USED, budget, MemoryBudget::used).tag("budget", budget.name()).baseUnit("bytes")
                .register(registry);
        Gauge.builder(MEMORY_LIMIT, budget, MemoryBudget::limit).tag("budget", budget.name()).baseUnit("bytes")
                .register(registry);
        refusals(registry, budget.name(), budget, MemoryBudget::refused);
    }

    /** Counts the refusals {@code count} reads from {@code source} under {@code reason}. */
    static <T> void refusals(MeterRegistry registry, String reason, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(REFUSALS, source, count).tag("reason", reason).register(registry);
    }
}
