package io.idnode.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idnode.codec.AdminValueCodec;
import io.idnode.crypto.CryptoProviders;
import io.idnode.crypto.keys.HandleKeyCodec;
import io.idnode.crypto.keys.KeyFiles;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRecordSourceTest {
    private static final CryptoProviders PROVIDERS = CryptoProviders.create();
    private static final ValueText TEXT = new ValueText(new KeyFiles(PROVIDERS), new HandleKeyCodec(PROVIDERS));

    private static List<SourceItem> read(String csv) throws IOException, InputException {
        List<SourceItem> items = new ArrayList<>();
        try (CsvRecordSource source = new CsvRecordSource(new BufferedReader(new StringReader(csv)), TEXT)) {
            SourceItem item;
            while ((item = source.next()) != null) {
                items.add(item);
            }
        }
        return items;
    }

    private static HandleRecord record(SourceItem item) {
        assertThat(item).isInstanceOf(SourceItem.Entry.class);
        return ((SourceItem.Entry) item).record();
    }

    @Test
    void columnsWithoutIndexTakeTheLowestFreeIndexesLeftToRight() throws Exception {
        List<SourceItem> items = read("URL,handle,1:EMAIL,DESC\nhttps://e.com/1,88.100.1/A,a@e.com,pump\n");
        HandleRecord r = record(items.get(0));
        assertThat(r.handle()).isEqualTo("88.100.1/A");
        assertThat(r.values()).extracting(HandleValue::index, HandleValue::type, HandleValue::dataAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, "URL", "https://e.com/1"),
                        org.assertj.core.groups.Tuple.tuple(1, "EMAIL", "a@e.com"),
                        org.assertj.core.groups.Tuple.tuple(3, "DESC", "pump"));
        assertThat(items.get(0).line()).isEqualTo(2);
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaksAndLinesAreCountedThroughThem() throws Exception {
        String csv = "handle,URL,PRODUCT_DATA\r\n"
                + "88.100.1/A,https://e.com/a,\"{\"\"model\"\":\"\"P-200\"\",\r\n\"\"batch\"\":7}\"\r\n"
                + "\r\n"
                + "88.100.1/B,\"https://e.com/b?x=1,2\",\n";
        List<SourceItem> items = read(csv);
        assertThat(items).hasSize(2);
        assertThat(record(items.get(0)).value(2).dataAsString()).isEqualTo("{\"model\":\"P-200\",\r\n\"batch\":7}");
        assertThat(items.get(0).line()).isEqualTo(2);
        assertThat(items.get(1).line()).isEqualTo(5);
        assertThat(record(items.get(1)).value(1).dataAsString()).isEqualTo("https://e.com/b?x=1,2");
        assertThat(record(items.get(1)).value(2)).as("an empty cell gives no value").isNull();
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsIgnored() throws Exception {
        assertThat(record(read("\uFEFFhandle,URL\n88.100.1/A,u\n").get(0)).handle()).isEqualTo("88.100.1/A");
    }

    @Test
    void badRowsAreItemsWithTheirLineAndTheRestIsRead() throws Exception {
        String csv = "handle,URL,100:HS_ADMIN\n"
                + "88.100.1/A,u,300:0.NA/88.100.1\n"
                + "88.100.1/B,u\n"
                + "PUMP-7,u,\n"
                + "88.100.1/C,u,300:nonsense\n"
                + "88.100.1/D,,\n"
                + "88.100.1/E,\"u\"x,\n"
                + "88.100.1/F,u,300:registrar:0.NA/88.100.1\n";
        List<SourceItem> items = read(csv);
        assertThat(items).extracting(SourceItem::line).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(items.subList(1, 6)).allMatch(i -> i instanceof SourceItem.BadLine);
        assertThat(((SourceItem.BadLine) items.get(1)).message()).isEqualTo("has 2 fields, the header row has 3");
        assertThat(((SourceItem.BadLine) items.get(2)).message()).isEqualTo("handle 'PUMP-7' must look like prefix/suffix");
        assertThat(((SourceItem.BadLine) items.get(3)).message())
                .isEqualTo("column 3 (100:HS_ADMIN): 'nonsense' in '300:nonsense' must be a handle prefix/suffix");
        assertThat(((SourceItem.BadLine) items.get(4)).message()).isEqualTo("88.100.1/D has no value (every value cell is empty)");
        assertThat(((SourceItem.BadLine) items.get(5)).message()).isEqualTo("text after the closing quote of field 2");
        AdminValue admin = AdminValueCodec.decode(record(items.get(6)).value(100).data());
        assertThat(admin).isEqualTo(new AdminValue(AdminValue.ADD_HANDLE | AdminValue.LIST_HANDLES, "0.NA/88.100.1", 300));
    }

    @Test
    void aQuotedFieldLeftOpenIsABadLineAtItsStart() throws Exception {
        List<SourceItem> items = read("handle,URL\n88.100.1/A,\"u\n88.100.1/B,v\n");
        assertThat(items).hasSize(1);
        assertThat(items.get(0)).isEqualTo(new SourceItem.BadLine(2, "a quoted field is not closed before the end of the file"));
    }

    @Test
    void headersThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> read("URL,EMAIL\n")).isInstanceOf(InputException.class)
                .hasMessage("header row: no 'handle' column; the first row names the columns, e.g. handle,URL,100:HS_ADMIN");
        assertThatThrownBy(() -> read("handle,1:URL,1:EMAIL\n")).hasMessage("header row: index 1 is named twice (column 3)");
        assertThatThrownBy(() -> read("handle,x:URL\n"))
                .hasMessage("header row: column 2 'x:URL' must be TYPE or INDEX:TYPE with INDEX a whole number > 0");
        assertThatThrownBy(() -> read("handle,2:\n"))
                .hasMessage("header row: column 2 names no value type; write TYPE or INDEX:TYPE such as URL or 100:HS_ADMIN");
        assertThatThrownBy(() -> read("")).hasMessage("the file is empty; its first row must name the columns, e.g. handle,URL");
    }

    @Test
    void aLineHoldingBytesThatAreNotUtf8IsABadLineAndTheRestIsRead(@TempDir Path dir) throws Exception {
        byte[] latin1 = "handle,URL\n88.100.1/A,u\n88.100.1/B,Pumpe f\u00fcr \u00d6l\n88.100.1/C,v\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        Path csv = Files.write(dir.resolve("latin.csv"), latin1);
        List<SourceItem> items = new ArrayList<>();
        try (RecordSource source = RecordSource.open(csv, RecordSource.Format.CSV, TEXT)) {
            for (SourceItem i = source.next(); i != null; i = source.next()) {
                items.add(i);
            }
        }
        assertThat(items).hasSize(3);
        assertThat(items.get(1)).isEqualTo(new SourceItem.BadLine(3,
                "holds bytes that are not UTF-8 text; save the file as UTF-8"));
        assertThat(record(items.get(2)).handle()).isEqualTo("88.100.1/C");

        Path jsonl = Files.write(dir.resolve("latin.jsonl"), ("{\"handle\":\"88.100.1/B\",\"values\":[{\"index\":1,"
                + "\"type\":\"DESC\",\"data\":\"f\u00fcr\"}]}\n").getBytes(StandardCharsets.ISO_8859_1));
        try (RecordSource source = RecordSource.open(jsonl, RecordSource.Format.JSONL, TEXT)) {
            assertThat(source.next()).isEqualTo(new SourceItem.BadLine(1,
                    "holds bytes that are not UTF-8 text; save the file as UTF-8"));
        }
    }
}
