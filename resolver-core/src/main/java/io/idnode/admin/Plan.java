package io.idnode.admin;

import io.idnode.handler.Outcome;
import io.idnode.model.HandleValue;
import io.idnode.store.RecordStore.RecordWrite;
import java.util.List;
import java.util.Objects;

/**
 * What an administrative request would do against the records as they are now (handle-protocol.md §4.4):
 * refused outright, or allowed to an identity that holds the permissions it needs, with its effect. A plan
 * is made again whenever the records may have changed, never kept across a challenge.
 */
sealed interface Plan {

    /** Refused whoever asks (a check that needs no identity failed). */
    record Refused(Outcome refusal) implements Plan {
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }
    }

    /** A change of records, applied as one atomic store write, then answered with {@code success}. */
    record Change(Needs needs, List<RecordWrite> writes, Outcome success) implements Plan {
        public Change {
            Objects.requireNonNull(needs, "needs");
            writes = List.copyOf(writes);
            Objects.requireNonNull(success, "success");
        }
    }

    /** LIST_HANDLES of the homed {@code prefix}, answered in pages. */
    record Listing(Needs needs, String prefix) implements Plan {
        public Listing {
            Objects.requireNonNull(needs, "needs");
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /** HOME ({@code home}) or UNHOME of {@code prefix}: node administrators only. */
    record Homing(String prefix, boolean home) implements Plan {
        public Homing {
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /** LIST_HOMED_PREFIXES, answered with {@code prefixes}: node administrators only. */
    record HomedPrefixes(List<String> prefixes) implements Plan {
        public HomedPrefixes {
            prefixes = List.copyOf(prefixes);
        }
    }

    /**
     * The permissions a request needs (§5.2): every bit of {@code permissions} through the HS_ADMIN values
     * among {@code adminValues}, those of {@code adminHandle}; then, for a change, {@code notWritable} names a
     * value to be replaced that is not admin-writable (401), or is null.
     */
    record Needs(String adminHandle, List<HandleValue> adminValues, int permissions, String notWritable) {
        public Needs {
            // A record's own value list, immutable already: kept, not copied.
            Objects.requireNonNull(adminValues, "adminValues");
        }
    }

    /** A stored value {@code old} and the value that replaces it at the same index. */
    record Replacement(HandleValue old, HandleValue replacement) {
    }
}
