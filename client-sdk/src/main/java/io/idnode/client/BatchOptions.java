package io.idnode.client;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a batch registers: at most {@code maxInFlight} creates outstanding at once (the input is read only as
 * fast as they complete, so memory stays constant whatever its length), what to do with an existing handle
 * ({@link IfExists#ACCEPT_IDENTICAL} by default: a record already holding exactly the values counts as done,
 * one with other values is a conflict), and where each item's {@link RegistrationResult} goes (called once per
 * item, one call at a time, on the client's callback executor), and optionally who signs each record before
 * it is sent ({@code signing}, null for none; signing runs on a pool of its own, in parallel). Immutable.
 */
public record BatchOptions(int maxInFlight, IfExists ifExists, Consumer<? super RegistrationResult> onResult,
        RecordSigning signing) {
    /** Creates outstanding at once unless set: enough to keep a node's group commit busy. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    /** The most creates a batch may keep outstanding. */
    public static final int MAX_IN_FLIGHT = 65_536;

    /**
     * @throws InvalidSettingException if {@code maxInFlight} is outside 1..{@value #MAX_IN_FLIGHT}
     */
    public BatchOptions {
        if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT) {
            throw new InvalidSettingException("maxInFlight", "must be 1.." + MAX_IN_FLIGHT + ", was " + maxInFlight);
        }
        Objects.requireNonNull(ifExists, "ifExists");
        Objects.requireNonNull(onResult, "onResult");
    }

    /** Options without signing. */
    public BatchOptions(int maxInFlight, IfExists ifExists, Consumer<? super RegistrationResult> onResult) {
        this(maxInFlight, ifExists, onResult, null);
    }

    /** {@value #DEFAULT_MAX_IN_FLIGHT} in flight, identical existing records accepted, results ignored. */
    public static BatchOptions defaults() {
        return new BatchOptions(DEFAULT_MAX_IN_FLIGHT, IfExists.ACCEPT_IDENTICAL, r -> { });
    }

    /** These options with another bound on creates outstanding. */
    public BatchOptions withMaxInFlight(int n) {
        return new BatchOptions(n, ifExists, onResult, signing);
    }

    /** These options with another policy for existing handles. */
    public BatchOptions withIfExists(IfExists policy) {
        return new BatchOptions(maxInFlight, policy, onResult, signing);
    }

    /** These options handing each item's result to {@code listener}. */
    public BatchOptions withOnResult(Consumer<? super RegistrationResult> listener) {
        return new BatchOptions(maxInFlight, ifExists, listener, signing);
    }

    /** These options signing each record with {@code signing} before it is sent (null: no signing). */
    public BatchOptions withSigning(RecordSigning signing) {
        return new BatchOptions(maxInFlight, ifExists, onResult, signing);
    }
}
