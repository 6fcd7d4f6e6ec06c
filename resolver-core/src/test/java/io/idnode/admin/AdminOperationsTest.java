package io.idnode.admin;

import static io.idnode.handler.AdminFixtures.admin;
import static io.idnode.handler.AdminFixtures.id;
import static io.idnode.handler.AdminFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.handler.Authorizer;
import io.idnode.handler.Outcome;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.ValuePermissions;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.CreateHandleResponse;
import io.idnode.protocol.MessageBody.HandleListResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.RemoveValuesRequest;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each administrative operation's checks and effects (handle-protocol.md §4.4) on an in-memory store. */
class AdminOperationsTest {
    static final String P = "88.100.1";
    static final String PH = "0.NA/" + P;
    static final ValueReference ADMIN = id(300, PH);
    static final ValueReference WRITER = id(300, P + "/WRITER");
    static final ValueReference NODE_ADMIN = id(1, "0.NA/ROOT");
    static final int NOW = 1_800_000_000;

    InMemoryRecordStore store;
    ServedPrefixes prefixes;
    AdminOperations ops;

    @BeforeEach
    void setUp() {
        store = new InMemoryRecordStore();
        prefixes = new ServedPrefixes(List.of(P));
        ops = new AdminOperations(store, prefixes, new Authorizer(store::get, List.of(NODE_ADMIN)),
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        store.put(HandleRecord.of(PH, List.of(admin(100, PH, 300, AdminValue.ALL))));
        // WRITER may change values of X but not admins, nor delete it.
        store.put(HandleRecord.of(P + "/X", List.of(url(1, "one"),
                HandleValue.builder(2, "LOCKED").data("fixed").permissions(ValuePermissions.PUBLIC_READ | ValuePermissions.ADMIN_READ)
                        .build(),
                admin(100, PH, 300, AdminValue.ALL),
                admin(101, P + "/WRITER", 300, AdminValue.ADD_VALUE | AdminValue.MODIFY_VALUE | AdminValue.REMOVE_VALUE))));
    }

    static Message request(OpCode op, int flags, MessageBody body) {
        return Message.of(Envelope.request(0, 42), new MessageHeader(op, ResponseCode.RESERVED,
                OpFlags.RECURSIVE | flags, 1, 0, NOW + 100), body);
    }

    static Message create(String handle, int flags, HandleValue... values) {
        return request(OpCode.CREATE_HANDLE, flags, new ValuesRequest(handle, List.of(values)));
    }

    static Message values(OpCode op, String handle, int flags, HandleValue... values) {
        return request(op, flags, new ValuesRequest(handle, List.of(values)));
    }

    Outcome run(Message request, ValueReference as) {
        List<Outcome> out = new ArrayList<>();
        ops.execute(request, as, out::add);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    int code(Message request, ValueReference as) {
        return run(request, as).code().code();
    }

    @Test
    void createStoresTheRecordWithServerTimestamps() {
        Outcome o = run(create(P + "/NEW", 0, url(1, "u").withTimestamp(5), admin(100, PH, 300, AdminValue.ALL)), ADMIN);
        assertThat(o.isSuccess()).isTrue();
        assertThat(((CreateHandleResponse) o.body()).handle()).isEqualTo(P + "/NEW");
        HandleRecord r = store.get(P + "/NEW");
        assertThat(r.values()).extracting(HandleValue::timestamp).containsOnly(NOW);
        assertThat(r.metadata().updatedBy()).isEqualTo(ADMIN.toString());
    }

    @Test
    void createChecksComeBeforeAnyIdentity() {
        assertThat(ops.check(create("", 0, url(1, "u"))).code()).isEqualTo(ResponseCode.INVALID_HANDLE);
        assertThat(ops.check(create(P + "/", 0, url(1, "u"))).code()).isEqualTo(ResponseCode.INVALID_HANDLE);
        assertThat(ops.check(create("99.9/ELSEWHERE", 0, url(1, "u"))).code())
                .isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
        assertThat(ops.check(create(P + "/N", 0)).code()).isEqualTo(ResponseCode.INVALID_VALUE);
        assertThat(ops.check(create(P + "/N", 0, url(0, "u"))).code()).isEqualTo(ResponseCode.INVALID_VALUE);
        assertThat(ops.check(create(P + "/N", 0, url(1, "u"), url(1, "v"))).code())
                .isEqualTo(ResponseCode.VALUE_ALREADY_EXISTS);
        assertThat(ops.check(create(P + "/X", 0, url(1, "u"))).code()).isEqualTo(ResponseCode.HANDLE_ALREADY_EXISTS);
        assertThat(ops.check(create(P + "/N", 0, url(1, "u")))).isNull();
        assertThat(store.get(P + "/N")).isNull();
    }

    @Test
    void createNeedsAddHandleOnThePrefixRecord() {
        assertThat(code(create(P + "/N", 0, url(1, "u")), WRITER)).isEqualTo(400);
        assertThat(store.get(P + "/N")).isNull();
        assertThat(code(create(P + "/N", 0, url(1, "u")), NODE_ADMIN)).isEqualTo(1);
    }

    @Test
    void overwriteNeedsThePermissionsOfTheChangesOnTheExistingRecord() {
        // Replacing X without its HS_ADMIN values removes admins: WRITER may not.
        assertThat(code(create(P + "/X", OpFlags.OVERWRITE, url(1, "new")), WRITER)).isEqualTo(400);
        assertThat(store.get(P + "/X").value(1).dataAsString()).isEqualTo("one");
        assertThat(code(create(P + "/X", OpFlags.OVERWRITE, url(1, "new"), url(2, "unlocked"),
                admin(100, PH, 300, AdminValue.ALL)), ADMIN)).isEqualTo(401); // value 2 is not admin-writable
        assertThat(store.get(P + "/X").value(1).dataAsString()).isEqualTo("one");
    }

    @Test
    void mintAppendsAFreeSuffix() {
        Outcome o = run(create(P + "/", OpFlags.MINT, url(1, "m")), ADMIN);
        String minted = ((CreateHandleResponse) o.body()).handle();
        assertThat(minted).startsWith(P + "/").hasSize(P.length() + 1 + 16);
        assertThat(store.get(minted).value(1).dataAsString()).isEqualTo("m");
    }

    @Test
    void addChecksAndAdds() {
        assertThat(code(values(OpCode.ADD_VALUE, P + "/MISSING", 0, url(3, "u")), ADMIN)).isEqualTo(100);
        assertThat(code(values(OpCode.ADD_VALUE, P + "/X", 0), ADMIN)).isEqualTo(202);
        assertThat(code(values(OpCode.ADD_VALUE, P + "/X", 0, url(1, "dup")), ADMIN)).isEqualTo(201);
        assertThat(code(values(OpCode.ADD_VALUE, P + "/X", 0, admin(102, WRITER.handle(), 300, AdminValue.ALL)), WRITER))
                .isEqualTo(400); // adding an admin needs ADD_ADMIN
        assertThat(code(values(OpCode.ADD_VALUE, P + "/X", 0, url(3, "three")), WRITER)).isEqualTo(1);
        assertThat(store.get(P + "/X").value(3).dataAsString()).isEqualTo("three");
        assertThat(store.get(P + "/X").value(102)).isNull();
        assertThat(code(values(OpCode.ADD_VALUE, P + "/X", OpFlags.OVERWRITE, url(1, "over")), WRITER)).isEqualTo(1);
        assertThat(store.get(P + "/X").value(1).dataAsString()).isEqualTo("over");
    }

    @Test
    void modifyChecksAndReplaces() {
        assertThat(code(values(OpCode.MODIFY_VALUE, P + "/X", 0, url(9, "u")), ADMIN)).isEqualTo(200);
        assertThat(code(values(OpCode.MODIFY_VALUE, P + "/X", 0, url(2, "u")), ADMIN)).isEqualTo(401);
        assertThat(code(values(OpCode.MODIFY_VALUE, P + "/X", 0, admin(100, WRITER.handle(), 300, AdminValue.ALL)), WRITER))
                .isEqualTo(400); // modifying an admin needs MODIFY_ADMIN
        assertThat(code(values(OpCode.MODIFY_VALUE, P + "/X", 0, url(100, "not an admin any more")), WRITER))
                .isEqualTo(400); // admin to value needs REMOVE_ADMIN as well
        assertThat(store.get(P + "/X").value(100).type()).isEqualTo(ValueTypes.HS_ADMIN);
        assertThat(code(values(OpCode.MODIFY_VALUE, P + "/X", 0, url(1, "changed")), WRITER)).isEqualTo(1);
        HandleRecord r = store.get(P + "/X");
        assertThat(r.value(1).dataAsString()).isEqualTo("changed");
        assertThat(r.value(1).timestamp()).isEqualTo(NOW);
        assertThat(r.values()).hasSize(4);
    }

    @Test
    void removeChecksAndRemoves() {
        Message missing = request(OpCode.REMOVE_VALUE, 0, new RemoveValuesRequest(P + "/X", new int[] {1, 9}));
        assertThat(code(missing, ADMIN)).isEqualTo(200);
        assertThat(store.get(P + "/X").value(1)).isNotNull();
        Message none = request(OpCode.REMOVE_VALUE, 0, new RemoveValuesRequest(P + "/X", new int[0]));
        assertThat(code(none, ADMIN)).isEqualTo(202);
        Message admins = request(OpCode.REMOVE_VALUE, 0, new RemoveValuesRequest(P + "/X", new int[] {100}));
        assertThat(code(admins, WRITER)).isEqualTo(400);
        Message one = request(OpCode.REMOVE_VALUE, 0, new RemoveValuesRequest(P + "/X", new int[] {1}));
        assertThat(code(one, WRITER)).isEqualTo(1);
        assertThat(store.get(P + "/X").value(1)).isNull();
        assertThat(store.get(P + "/X").values()).hasSize(3);
    }

    @Test
    void deleteNeedsDeleteHandle() {
        Message del = request(OpCode.DELETE_HANDLE, 0, new HandleRequest(P + "/X"));
        assertThat(code(request(OpCode.DELETE_HANDLE, 0, new HandleRequest(P + "/NONE")), ADMIN)).isEqualTo(100);
        assertThat(code(del, WRITER)).isEqualTo(400);
        assertThat(store.get(P + "/X")).isNotNull();
        assertThat(code(del, ADMIN)).isEqualTo(1);
        assertThat(store.get(P + "/X")).isNull();
    }

    @Test
    void listComesInPagesWithAllButTheLastMarkedMore() {
        for (int i = 0; i < 2 * AdminOperations.LIST_PAGE_SIZE + 3; i++) {
            store.put(HandleRecord.of(P + "/L" + i, List.of(url(1, "u"))));
        }
        List<Outcome> pages = new ArrayList<>();
        ops.execute(request(OpCode.LIST_HANDLES, 0, new HandleRequest(PH)), ADMIN, pages::add);
        assertThat(pages).hasSize(3);
        assertThat(pages).extracting(Outcome::more).containsExactly(true, true, false);
        List<String> all = new ArrayList<>();
        pages.forEach(p -> all.addAll(((HandleListResponse) p.body()).handles()));
        assertThat(all).hasSize(2 * AdminOperations.LIST_PAGE_SIZE + 3 + 1).doesNotHaveDuplicates().contains(P + "/X");

        List<Outcome> refused = new ArrayList<>();
        ops.execute(request(OpCode.LIST_HANDLES, 0, new HandleRequest(PH)), WRITER, refused::add);
        assertThat(refused).extracting(o -> o.code().code()).containsExactly(400);
        assertThat(ops.check(request(OpCode.LIST_HANDLES, 0, new HandleRequest("0.NA/99.9"))).code())
                .isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
    }

    @Test
    void homingIsForNodeAdministrators() {
        Message home = request(OpCode.HOME_PREFIX, 0, new HandleRequest("0.NA/77.1"));
        assertThat(code(home, ADMIN)).isEqualTo(400);
        assertThat(prefixes.isServed("77.1")).isFalse();
        assertThat(code(home, NODE_ADMIN)).isEqualTo(1);
        assertThat(prefixes.isServed("77.1")).isTrue();
        Outcome listed = run(request(OpCode.LIST_HOMED_PREFIXES, 0, new HandleRequest("/")), NODE_ADMIN);
        assertThat(((HandleListResponse) listed.body()).handles()).containsExactly(P, "77.1");
        assertThat(code(request(OpCode.UNHOME_PREFIX, 0, new HandleRequest("0.NA/77.1")), NODE_ADMIN)).isEqualTo(1);
        assertThat(prefixes.isServed("77.1")).isFalse();
        assertThat(code(request(OpCode.UNHOME_PREFIX, 0, new HandleRequest("0.NA/77.1")), NODE_ADMIN)).isEqualTo(301);
        assertThat(code(request(OpCode.UNHOME_PREFIX, 0, new HandleRequest(PH)), NODE_ADMIN)).isEqualTo(5);
        assertThat(prefixes.isServed(P)).isTrue();
    }
}
