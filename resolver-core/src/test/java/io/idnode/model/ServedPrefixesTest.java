package io.idnode.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The prefixes homed on the node: which handles they cover, and HOME/UNHOME (handle-protocol.md §3.1). */
class ServedPrefixesTest {
    private final List<List<String>> saved = new ArrayList<>();
    private final ServedPrefixes prefixes = new ServedPrefixes(List.of("88.100.1", "Abc.Def", "é.1"), saved::add);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            88.100.1/X          | true
            88.100.1/           | true
            88.100.1/a/b        | true
            88.100.1            | true
            0.NA/88.100.1       | true
            0.na/88.100.1       | true
            abc.def/x           | true
            ABC.DEF/x           | true
            0.NA/ABC.def        | true
            é.1/x               | true
            É.1/x               | false
            88.100.10/X         | false
            88.100/X            | false
            88.100.1.5/X        | false
            88.100.2/X          | false
            0.NA/88.100.2       | false
            0.NA/88.100         | false
            88.100              | false
            0.NA/X              | false
            """)
    void coversHandlesWhoseGoverningPrefixIsServed(String handle, boolean covered) {
        assertThat(prefixes.covers(handle)).isEqualTo(covered);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            88.100.1            | true
            abc.DEF             | true
            é.1                 | true
            É.1                 | false
            88.100.1/X          | false
            0.NA/88.100.1       | false
            88.100              | false
            """)
    void isServedNamesAPrefixItself(String prefix, boolean served) {
        assertThat(prefixes.isServed(prefix)).isEqualTo(served);
    }

    @Test
    void listsThePrefixesAsConfigured() {
        assertThat(prefixes.list()).containsExactly("88.100.1", "Abc.Def", "é.1");
        assertThat(saved).isEmpty();
    }

    @Test
    void aNodeServesAtLeastOnePrefix() {
        assertThatThrownBy(() -> new ServedPrefixes(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one prefix");
    }

    @Test
    void homingAPrefixSavesTheNewListThenCoversItsHandles() {
        assertThat(prefixes.home("88.200")).isTrue();

        assertThat(saved).containsExactly(List.of("88.100.1", "Abc.Def", "é.1", "88.200"));
        assertThat(prefixes.list()).containsExactly("88.100.1", "Abc.Def", "é.1", "88.200");
        assertThat(prefixes.covers("88.200/X")).isTrue();
        assertThat(prefixes.covers("0.NA/88.200")).isTrue();
    }

    @Test
    void homingAServedPrefixInAnyCaseChangesNothing() {
        assertThat(prefixes.home("ABC.def")).isFalse();

        assertThat(saved).isEmpty();
        assertThat(prefixes.list()).containsExactly("88.100.1", "Abc.Def", "é.1");
    }

    @Test
    void unhomingAPrefixInAnyCaseSavesTheNewListThenStopsCoveringIt() {
        assertThat(prefixes.unhome("abc.def")).isTrue();

        assertThat(saved).containsExactly(List.of("88.100.1", "é.1"));
        assertThat(prefixes.list()).containsExactly("88.100.1", "é.1");
        assertThat(prefixes.covers("Abc.Def/x")).isFalse();
        assertThat(prefixes.isServed("Abc.Def")).isFalse();
    }

    @Test
    void unhomingAPrefixNotServedChangesNothing() {
        assertThat(prefixes.unhome("88.200")).isFalse();
        assertThat(prefixes.unhome("É.1")).isFalse();

        assertThat(saved).isEmpty();
    }

    @Test
    void theLastPrefixCannotBeUnhomed() {
        List<List<String>> changes = new ArrayList<>();
        ServedPrefixes one = new ServedPrefixes(List.of("88.100.1"), changes::add);

        assertThatThrownBy(() -> one.unhome("88.100.1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one prefix");

        assertThat(changes).isEmpty();
        assertThat(one.covers("88.100.1/X")).isTrue();
    }

    @Test
    void aChangeThatCannotBeSavedIsNotMade() {
        ServedPrefixes failing = new ServedPrefixes(List.of("88.100.1", "88.200"), list -> {
            throw new UncheckedIOException(new IOException("disk full"));
        });

        assertThatThrownBy(() -> failing.home("88.300")).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> failing.unhome("88.200")).isInstanceOf(UncheckedIOException.class);

        assertThat(failing.list()).containsExactly("88.100.1", "88.200");
        assertThat(failing.covers("88.300/X")).isFalse();
        assertThat(failing.covers("88.200/X")).isTrue();
    }

    @Test
    void theSavedListCannotBeChangedByItsReceiver() {
        prefixes.home("88.200");

        assertThatThrownBy(() -> saved.get(0).add("88.300")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(prefixes.covers("88.300/X")).isFalse();
    }
}
