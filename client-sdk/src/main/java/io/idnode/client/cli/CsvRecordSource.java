package io.idnode.client.cli;

import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Records from CSV (RFC 4180: comma-separated, fields in double quotes may hold commas, quotes doubled and line
 * breaks). The first row names the columns: one {@code handle} column with the identifier
 * ({@code prefix/suffix}), and per value a column {@code TYPE} or {@code INDEX:TYPE}, e.g. {@code URL},
 * {@code 2:EMAIL}, {@code 100:HS_ADMIN}. A column without index takes the lowest index no other column
 * names, counting from 1, left to right. Each further row is one identifier; its cells are read in the text
 * form of their column's type ({@link ValueText}); an empty cell gives no value. Blank rows are skipped; a row
 * holding bytes that are not UTF-8 is a bad line.
 */
final class CsvRecordSource implements RecordSource {
    private static final String HANDLE_COLUMN = "handle";

    private final BufferedReader in;
    private final ValueText text;
    private final int handleColumn;
    private final int[] indexes;
    private final String[] types;
    private final StringBuilder field = new StringBuilder(64);
    /** Number of the line the reader is on, from 1. */
    private long line = 1;
    private boolean atEnd;

    /** Reads the header row; a header that names no handle column, or a column twice, is refused. */
    CsvRecordSource(BufferedReader in, ValueText text) throws IOException, InputException {
        this.in = in;
        this.text = text;
        skipByteOrderMark();
        List<String> header;
        try {
            header = nextRow();
        } catch (InputException e) {
            throw new InputException("header row: " + e.getMessage());
        }
        if (header == null) {
            throw new InputException("the file is empty; its first row must name the columns, e.g. handle,URL");
        }
        int handle = -1;
        indexes = new int[header.size()];
        types = new String[header.size()];
        BitSet taken = new BitSet();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c).strip();
            if (name.toLowerCase(Locale.ROOT).equals(HANDLE_COLUMN)) {
                if (handle >= 0) {
                    throw new InputException("header row: two handle columns (" + (handle + 1) + " and " + (c + 1) + ")");
                }
                handle = c;
                continue;
            }
            int colon = name.indexOf(':');
            if (colon >= 0) {
                indexes[c] = columnIndex(name, colon, c);
                if (taken.get(indexes[c])) {
                    throw new InputException("header row: index " + indexes[c] + " is named twice (column " + (c + 1)
                            + ")");
                }
                taken.set(indexes[c]);
            }
            types[c] = colon >= 0 ? name.substring(colon + 1).strip() : name;
            if (types[c].isEmpty()) {
                throw new InputException("header row: column " + (c + 1) + " names no value type; write TYPE or"
                        + " INDEX:TYPE such as URL or 100:HS_ADMIN");
            }
        }
        if (handle < 0) {
            throw new InputException("header row: no 'handle' column; the first row names the columns, e.g."
                    + " handle,URL,100:HS_ADMIN");
        }
        handleColumn = handle;
        for (int c = 0; c < types.length; c++) {
            if (c != handle && indexes[c] == 0) {
                indexes[c] = taken.nextClearBit(1);
                taken.set(indexes[c]);
            }
        }
    }

    private static int columnIndex(String name, int colon, int column) throws InputException {
        try {
            int index = Integer.parseInt(name.substring(0, colon).strip());
            if (index > 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputException("header row: column " + (column + 1) + " '" + name + "' must be TYPE or INDEX:TYPE"
                + " with INDEX a whole number > 0");
    }

    @Override
    public SourceItem next() throws IOException {
        while (true) {
            long start = line;
            List<String> row;
            try {
                row = nextRow();
            } catch (InputException e) {
                return new SourceItem.BadLine(start, e.getMessage());
            }
            if (row == null) {
                return null;
            }
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue; // a blank line
            }
            return item(start, row);
        }
    }

    private SourceItem item(long start, List<String> row) {
        if (row.size() != types.length) {
            return new SourceItem.BadLine(start, "has " + row.size() + " fields, the header row has " + types.length);
        }
        for (String cell : row) {
            if (!RecordSource.isUtf8(cell)) {
                return new SourceItem.BadLine(start, RecordSource.NOT_UTF8);
            }
        }
        String handle = row.get(handleColumn).strip();
        if (handle.indexOf('/') <= 0 || handle.endsWith("/")) {
            return new SourceItem.BadLine(start, "handle '" + handle + "' must look like prefix/suffix");
        }
        List<HandleValue> values = new ArrayList<>(row.size() - 1);
        for (int c = 0; c < row.size(); c++) {
            String cell = row.get(c);
            if (c == handleColumn || cell.isEmpty()) {
                continue;
            }
            try {
                values.add(text.value(indexes[c], types[c], cell));
            } catch (InputException e) {
                return new SourceItem.BadLine(start, "column " + (c + 1) + " (" + indexes[c] + ":" + types[c] + "): "
                        + e.getMessage());
            }
        }
        if (values.isEmpty()) {
            return new SourceItem.BadLine(start, handle + " has no value (every value cell is empty)");
        }
        return new SourceItem.Entry(start, HandleRecord.of(handle, values));
    }

    /** The fields of the next row, or null at the end; a quoted field left open is an error. */
    private List<String> nextRow() throws IOException, InputException {
        if (atEnd) {
            return null;
        }
        List<String> fields = new ArrayList<>(types == null ? 8 : types.length);
        field.setLength(0);
        int c = in.read();
        if (c < 0) {
            atEnd = true;
            return null;
        }
        boolean quoted = false;
        boolean afterQuote = false;
        while (true) {
            if (quoted) {
                if (c < 0) {
                    atEnd = true;
                    throw new InputException("a quoted field is not closed before the end of the file");
                }
                if (c == '"') {
                    int n = in.read();
                    if (n == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        afterQuote = true;
                        c = n;
                        continue;
                    }
                } else {
                    if (c == '\n' || c == '\r' && peekNot('\n')) {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (c < 0 || c == '\n' || c == '\r') {
                if (c == '\r') {
                    skipIf('\n');
                }
                if (c < 0) {
                    atEnd = true;
                }
                line++;
                fields.add(field.toString());
                return fields;
            } else if (afterQuote) {
                skipRestOfRow();
                throw new InputException("text after the closing quote of field " + (fields.size() + 1));
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else {
                field.append((char) c);
            }
            c = in.read();
        }
    }

    /** True if the next character is not {@code c} (and leaves it unread). */
    private boolean peekNot(int c) throws IOException {
        in.mark(1);
        int n = in.read();
        in.reset();
        return n != c;
    }

    private void skipIf(int c) throws IOException {
        in.mark(1);
        if (in.read() != c) {
            in.reset();
        }
    }

    private void skipRestOfRow() throws IOException {
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && c != '\r') {
            // the row is bad; find the next one
        }
        if (c == '\r') {
            skipIf('\n');
        }
        if (c < 0) {
            atEnd = true;
        }
        line++;
    }

    private void skipByteOrderMark() throws IOException {
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
