package io.idnode.loadgen;

/**
 * What every lane of a run shares: the run's phase, the request frame of each key (encoded once), how keys
 * are chosen, and how long a request may wait for its reply.
 */
record Workload(RunControl control, byte[][] templates, KeyChooser chooser, long timeoutNanos) {
}
