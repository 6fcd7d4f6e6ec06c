package io.idnode.loadgen;

/**
 * The phase of a run, shared by its lanes: warm-up (requests not counted), measurement (counted), stopped
 * (no new requests). Written by the generator's scheduled phase changes, read on every send.
 */
final class RunControl {
    private static final int WARMUP = 0;
    private static final int MEASURING = 1;
    private static final int STOPPED = 2;

    private volatile int phase = WARMUP;

    void measure() {
        phase = MEASURING;
    }

    void stop() {
        phase = STOPPED;
    }

    boolean measuring() {
        return phase == MEASURING;
    }

    boolean stopped() {
        return phase == STOPPED;
    }
}
