package io.idnode.client.cli;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The records of an import file, read one at a time in file order (constant memory whatever the file's
 * length), each with the number of the line it starts on. A line that cannot be a record is an item too, so
 * that it is reported with its number and the rest of the file goes on.
 */
interface RecordSource extends Closeable {
    /** The next item, or null at the end of the file. */
    SourceItem next() throws IOException;

    /** The layouts an import file may have. */
    enum Format {
        /** A header row naming value types, then one row per identifier ({@link CsvRecordSource}). */
        CSV,
        /** One record per line in the node's import form ({@link JsonLinesRecordSource}). */
        JSONL;

        /** The format a file name implies: {@code .csv} is CSV, anything else JSON Lines. */
        static Format of(Path file) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CSV : JSONL;
        }
    }

    /** The records of {@code file} in {@code format}; values in CSV cells are read with {@code text}. */
    static RecordSource open(Path file, Format format, ValueText text) throws IOException, InputException {
        BufferedReader in = utf8(file);
        try {
            return format == Format.CSV ? new CsvRecordSource(in, text) : new JsonLinesRecordSource(in);
        } catch (IOException | InputException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** What a line holding bytes that are not UTF-8 is told. */
    String NOT_UTF8 = "holds bytes that are not UTF-8 text; save the file as UTF-8";

    /**
     * A reader of {@code file} as UTF-8 that turns bytes that are not UTF-8 into U+FFFD, so that a source can
     * report the line holding them ({@link #isUtf8}) and read on.
     */
    static BufferedReader utf8(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8), 1 << 16);
    }

    /** False if {@code text} holds U+FFFD, what bytes that are not UTF-8 became when read. */
    static boolean isUtf8(String text) {
        return text.indexOf('\uFFFD') < 0;
    }
}
