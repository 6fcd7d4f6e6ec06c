package io.idnode.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.store.RecordStore.RecordWrite;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store contract against {@link InMemoryRecordStore}, and its exact count. */
class InMemoryRecordStoreTest extends RecordStoreContract {
    @Override
    protected RecordStore open(Path directory) {
        return new InMemoryRecordStore();
    }

    @Override
    protected boolean persistent() {
        return false;
    }

    @Test
    void countIsExactAfterReplacementsAndDeletes() {
        for (int i = 0; i < 20; i++) {
            store.put(TestRecords.url("88.100.1/n" + i, "https://" + i));
        }
        for (int i = 0; i < 5; i++) {
            store.put(TestRecords.url("88.100.1/N" + i, "https://replaced-" + i));
        }
        assertThat(store.approximateCount()).isEqualTo(20);

        store.delete("88.100.1/n5");
        store.delete("88.100.1/absent");
        store.write(List.of(RecordWrite.delete("88.100.1/n6"), RecordWrite.delete("88.100.1/also-absent"),
                RecordWrite.put(TestRecords.url("88.100.1/new", "https://new"))));

        assertThat(store.approximateCount()).isEqualTo(19);
        assertThat(store.list("88.100.1", null, 100)).hasSize(19);
    }
}
