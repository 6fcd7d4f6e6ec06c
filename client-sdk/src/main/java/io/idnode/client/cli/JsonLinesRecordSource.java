package io.idnode.client.cli;

import io.idnode.json.JsonFormatException;
import io.idnode.json.RecordJsonReader;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Records from JSON Lines in the node's import form: one {@code {"handle": ..., "values": [...]}} per line
 * (handle-protocol.md §8), read by {@link RecordJsonReader} exactly as {@code idnode import} reads them. Lines
 * end at LF, CR or CRLF; blank lines are skipped; a line holding bytes that are not UTF-8 is a bad line.
 */
final class JsonLinesRecordSource implements RecordSource {
    private final BufferedReader in;
    private long line;

    JsonLinesRecordSource(BufferedReader in) {
        this.in = in;
    }

    @Override
    public SourceItem next() throws IOException {
        String text;
        do {
            text = in.readLine();
            if (text == null) {
                return null;
            }
            line++;
        } while (text.isBlank());
        if (!RecordSource.isUtf8(text)) {
            return new SourceItem.BadLine(line, RecordSource.NOT_UTF8);
        }
        try {
            // Timestamp 0: the node stamps every value it stores.
            return new SourceItem.Entry(line, RecordJsonReader.STANDARD.readRecord(text, 0));
        } catch (JsonFormatException e) {
            return new SourceItem.BadLine(line, e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
