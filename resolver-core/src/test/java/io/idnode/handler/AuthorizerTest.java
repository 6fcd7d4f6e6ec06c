package io.idnode.handler;

import static io.idnode.handler.AdminFixtures.admin;
import static io.idnode.handler.AdminFixtures.id;
import static io.idnode.handler.AdminFixtures.url;
import static io.idnode.handler.AdminFixtures.vlist;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.store.InMemoryRecordStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** HS_ADMIN matching (handle-protocol.md §5.2, §6.3): permission bits, index 0, groups, loops, depth. */
class AuthorizerTest {
    static final String ALICE = "88.100.1/ALICE";
    static final String BOB = "88.100.1/BOB";

    static final InMemoryRecordStore STORE = new InMemoryRecordStore();
    static final Authorizer AUTH;

    static {
        STORE.put(HandleRecord.of("88.100.1/GROUP", List.of(vlist(200, id(300, ALICE)), vlist(201, id(300, BOB)))));
        STORE.put(HandleRecord.of("88.100.1/OUTER", List.of(vlist(1, id(200, "88.100.1/GROUP")))));
        // A loop: LOOP-A -> LOOP-B -> LOOP-A; Alice is in a second list of LOOP-B, Bob nowhere.
        STORE.put(HandleRecord.of("88.100.1/LOOP-A", List.of(vlist(1, id(0, "88.100.1/LOOP-B")))));
        STORE.put(HandleRecord.of("88.100.1/LOOP-B", List.of(vlist(1, id(1, "88.100.1/LOOP-A")),
                vlist(2, id(300, ALICE)))));
        // A chain of groups DEEP-0 -> DEEP-1 -> ... -> DEEP-11 -> Alice.
        for (int i = 0; i < 12; i++) {
            ValueReference next = i == 11 ? id(300, ALICE) : id(1, "88.100.1/DEEP-" + (i + 1));
            STORE.put(HandleRecord.of("88.100.1/DEEP-" + i, List.of(vlist(1, next))));
        }
        STORE.put(HandleRecord.of("88.100.1/BROKEN", List.of(HandleValue.builder(1, "HS_VLIST")
                .data(new byte[] {0, 0, 0, 9}).build())));
        AUTH = new Authorizer(STORE::get, List.of(id(0, "0.NA/ROOT-ADMIN")));
    }

    static Stream<Arguments> cases() {
        int all = AdminValue.ALL;
        return Stream.of(
                row("exact reference grants its bits", id(300, ALICE), List.of(admin(100, ALICE, 300, AdminValue.ADD_VALUE)),
                        AdminValue.ADD_VALUE, true),
                row("a missing bit is refused", id(300, ALICE), List.of(admin(100, ALICE, 300, AdminValue.ADD_VALUE)),
                        AdminValue.REMOVE_VALUE, false),
                row("all bits needed, one missing", id(300, ALICE), List.of(admin(100, ALICE, 300, AdminValue.ADD_VALUE)),
                        AdminValue.ADD_VALUE | AdminValue.MODIFY_VALUE, false),
                row("bits from two HS_ADMIN values add up", id(300, ALICE), List.of(
                        admin(100, ALICE, 300, AdminValue.ADD_VALUE), admin(101, ALICE, 300, AdminValue.MODIFY_VALUE)),
                        AdminValue.ADD_VALUE | AdminValue.MODIFY_VALUE, true),
                row("another index is another identity", id(301, ALICE), List.of(admin(100, ALICE, 300, all)),
                        AdminValue.ADD_VALUE, false),
                row("reference index 0 means any index", id(301, ALICE), List.of(admin(100, ALICE, 0, all)),
                        AdminValue.ADD_VALUE, true),
                row("handles match case-insensitively", id(300, "88.100.1/alice"), List.of(admin(100, ALICE, 300, all)),
                        AdminValue.DELETE_HANDLE, true),
                row("another handle is refused", id(300, BOB), List.of(admin(100, ALICE, 0, all)),
                        AdminValue.ADD_VALUE, false),
                row("values that are not HS_ADMIN grant nothing", id(300, ALICE), List.of(url(1, ALICE)),
                        AdminValue.ADD_VALUE, false),
                row("group member by its value index", id(300, BOB), List.of(admin(100, "88.100.1/GROUP", 201, all)),
                        AdminValue.ADD_HANDLE, true),
                row("group value index matters", id(300, BOB), List.of(admin(100, "88.100.1/GROUP", 200, all)),
                        AdminValue.ADD_HANDLE, false),
                row("group index 0 means every HS_VLIST of it", id(300, BOB), List.of(admin(100, "88.100.1/GROUP", 0, all)),
                        AdminValue.ADD_HANDLE, true),
                row("nested groups are followed", id(300, ALICE), List.of(admin(100, "88.100.1/OUTER", 1, all)),
                        AdminValue.LIST_HANDLES, true),
                row("a loop ends, finding nothing", id(300, BOB), List.of(admin(100, "88.100.1/LOOP-A", 1, all)),
                        AdminValue.ADD_VALUE, false),
                row("a loop still finds a member beside it", id(300, ALICE), List.of(admin(100, "88.100.1/LOOP-A", 0, all)),
                        AdminValue.ADD_VALUE, true),
                row("within the depth limit", id(300, ALICE), List.of(admin(100, "88.100.1/DEEP-4", 1, all)),
                        AdminValue.ADD_VALUE, true),
                row("beyond the depth limit", id(300, ALICE), List.of(admin(100, "88.100.1/DEEP-0", 1, all)),
                        AdminValue.ADD_VALUE, false),
                row("an unknown group has no members", id(300, ALICE), List.of(admin(100, "88.100.1/NONE", 1, all)),
                        AdminValue.ADD_VALUE, false),
                row("an unreadable group has no members", id(300, ALICE), List.of(admin(100, "88.100.1/BROKEN", 1, all)),
                        AdminValue.ADD_VALUE, false),
                row("node administrators may do everything", id(7, "0.na/root-admin"), List.of(),
                        AdminValue.ALL, true));
    }

    static Arguments row(String name, ValueReference who, List<HandleValue> values, int needed, boolean expected) {
        return Arguments.of(name, who, new ArrayList<>(values), needed, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void permits(String name, ValueReference who, List<HandleValue> values, int needed, boolean expected) {
        assertThat(AUTH.permits(who, values, needed)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void depthLimitIsWhereTheChainStopsBeingFollowed() {
        // DEEP-i reaches Alice after 12 - i group levels.
        int deepest = 12 - Authorizer.MAX_GROUP_DEPTH;
        assertThat(AUTH.isMember(id(300, ALICE), id(1, "88.100.1/DEEP-" + deepest))).isTrue();
        assertThat(AUTH.isMember(id(300, ALICE), id(1, "88.100.1/DEEP-" + (deepest - 1)))).isFalse();
    }
}
