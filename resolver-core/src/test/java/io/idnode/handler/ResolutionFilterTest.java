package io.idnode.handler;

import io.idnode.model.ValuePermissions;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.HandleValue;
import io.idnode.model.ValueList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Value selection of a resolution (handle-protocol.md §4.1): index and type filters, and public-only. */
class ResolutionFilterTest {
    private static final int PRIVATE = ValuePermissions.ADMIN_READ | ValuePermissions.ADMIN_WRITE;

    /** A record's values in stored order; indexes are not sorted, to show that stored order is kept. */
    private static final List<HandleValue> VALUES = List.of(
            value(1, "URL"),
            value(7, "URL.mirror"),
            value(3, "EMAIL"),
            value(4, "HS_SITE"),
            value(5, "HS_SITE.PREFIX"),
            value(6, "url"),
            value(2, "URLX"),
            value(8, "é"),
            value(100, "HS_ADMIN"));

    private static HandleValue value(int index, String type) {
        return HandleValue.builder(index, type).data("data of " + index).build();
    }

    private static HandleValue value(int index, String type, int permissions) {
        return HandleValue.builder(index, type).permissions(permissions).data("data of " + index).build();
    }

    static Stream<Arguments> selections() {
        return Stream.of(
                selection("one index", new int[] {3}, List.of(), 3),
                selection("indexes in stored order, not asked order", new int[] {6, 1}, List.of(), 1, 6),
                selection("an index the record lacks", new int[] {99}, List.of()),
                selection("a type, ASCII case ignored", new int[0], List.of("URL"), 1, 6),
                selection("a type asked in lower case", new int[0], List.of("email"), 3),
                selection("a type does not match its subtypes", new int[0], List.of("HS_SITE"), 4),
                selection("a subtype by its full name", new int[0], List.of("hs_site.prefix"), 5),
                selection("a type ending in '.' matches itself and its subtypes, not longer names", new int[0],
                        List.of("URL."), 1, 7, 6),
                selection("HS_SITE. selects both site values", new int[0], List.of("HS_SITE."), 4, 5),
                selection("no prefix match without the '.'", new int[0], List.of("UR"), new int[0]),
                selection("part of a subtype's name matches nothing", new int[0], List.of("URL.mir"), new int[0]),
                selection("letters beyond ASCII are not folded", new int[0], List.of("É"), new int[0]),
                selection("letters beyond ASCII match themselves", new int[0], List.of("é"), 8),
                selection("several types", new int[0], List.of("EMAIL", "HS_ADMIN"), 3, 100),
                selection("indexes and types: the union", new int[] {3}, List.of("HS_SITE"), 3, 4),
                selection("a value chosen by index and by type appears once", new int[] {1}, List.of("URL"), 1, 6),
                selection("no index and no type: everything", new int[0], List.of(), 1, 7, 3, 4, 5, 6, 2, 8, 100));
    }

    private static Arguments selection(String name, int[] indexes, List<String> types, int... expected) {
        return Arguments.of(name, indexes, types, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selections")
    void selectsByIndexOrType(String name, int[] indexes, List<String> types, int[] expected) {
        List<HandleValue> selected = ResolutionFilter.select(VALUES, indexes, types);

        assertThat(selected).extracting(HandleValue::index).containsExactly(box(expected));
    }

    @Test
    void withoutFiltersTheValuesThemselvesAreReturned() {
        ValueList values = ValueList.of(VALUES);

        assertThat(ResolutionFilter.select(values, new int[0], List.of())).isSameAs(values);
    }

    static Stream<Arguments> publicOnlyCases() {
        return Stream.of(
                Arguments.of("all public", List.of(value(1, "URL"), value(2, "EMAIL")), new int[] {1, 2}),
                Arguments.of("private ones dropped, order kept", List.of(value(1, "URL"), value(2, "HS_SECKEY",
                        PRIVATE), value(3, "EMAIL"), value(4, "HS_ADMIN", PRIVATE)), new int[] {1, 3}),
                Arguments.of("readable by nobody is not public", List.of(value(1, "URL", 0), value(2, "EMAIL")),
                        new int[] {2}),
                Arguments.of("public-read alone is public", List.of(value(1, "URL", ValuePermissions.PUBLIC_READ)),
                        new int[] {1}),
                Arguments.of("none public", List.of(value(1, "HS_SECKEY", PRIVATE)), new int[0]),
                Arguments.of("no values", List.of(), new int[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publicOnlyCases")
    void publicOnlyKeepsValuesWithPublicRead(String name, List<HandleValue> values, int[] expected) {
        for (List<HandleValue> list : List.of(values, ValueList.of(values))) {
            List<HandleValue> kept = ResolutionFilter.publicOnly(list);

            assertThat(kept).extracting(HandleValue::index).containsExactly(box(expected));
            // The resolution link tells "some values are restricted" by whether it got its own list back.
            if (expected.length == values.size()) {
                assertThat(kept).isSameAs(list);
            } else {
                assertThat(kept).isNotSameAs(list);
            }
        }
    }

    private static Integer[] box(int[] ints) {
        return Arrays.stream(ints).boxed().toArray(Integer[]::new);
    }
}
