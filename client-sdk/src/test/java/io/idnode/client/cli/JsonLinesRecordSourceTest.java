package io.idnode.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesRecordSourceTest {

    private static List<SourceItem> read(String text) throws IOException {
        List<SourceItem> items = new ArrayList<>();
        try (JsonLinesRecordSource source = new JsonLinesRecordSource(new BufferedReader(new StringReader(text)))) {
            SourceItem item;
            while ((item = source.next()) != null) {
                items.add(item);
            }
        }
        return items;
    }

    @Test
    void recordsInTheNodesImportFormWithTheirLinesBlankLinesSkipped() throws IOException {
        String text = "{\"handle\":\"88.100.1/A\",\"values\":[{\"index\":1,\"type\":\"URL\",\"data\":\"u\"}]}\r\n"
                + "\n"
                + "{\"handle\":\"88.100.1/B\",\"values\":[]}\r"
                + "{\"handle\":\"88.100.1/C\",\"values\":[{\"index\":2,\"type\":\"EMAIL\",\"data\":\"c@e.com\"}]}";
        List<SourceItem> items = read(text);
        assertThat(items).extracting(SourceItem::line).containsExactly(1L, 3L, 4L);
        assertThat(((SourceItem.Entry) items.get(0)).record().value(1).dataAsString()).isEqualTo("u");
        assertThat(items.get(1)).isInstanceOf(SourceItem.BadLine.class);
        assertThat(((SourceItem.BadLine) items.get(1)).message()).isEqualTo("values must be a non-empty array");
        assertThat(((SourceItem.Entry) items.get(2)).record().handle()).isEqualTo("88.100.1/C");
    }
}
