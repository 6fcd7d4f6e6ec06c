package io.idnode.client.cli;

import io.idnode.model.HandleRecord;

/** One item read from an import file: a record to register, or a line that cannot be one. */
sealed interface SourceItem permits SourceItem.Entry, SourceItem.BadLine {
    /** The line the item starts on, from 1. */
    long line();

    /** A record read from {@code line}. */
    record Entry(long line, HandleRecord record) implements SourceItem {
    }

    /** A line that is not a record, and why. */
    record BadLine(long line, String message) implements SourceItem {
    }
}
