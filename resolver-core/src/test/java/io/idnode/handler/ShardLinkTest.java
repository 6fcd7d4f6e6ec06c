package io.idnode.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.crypto.CryptoFixtures;
import io.idnode.model.HandleRecord;
import io.idnode.model.HandleValue;
import io.idnode.model.ServedPrefixes;
import io.idnode.model.SiteInfo;
import io.idnode.node.NodeFixtures;
import io.idnode.node.RequestChain;
import io.idnode.protocol.Envelope;
import io.idnode.protocol.Message;
import io.idnode.protocol.MessageBody;
import io.idnode.protocol.MessageBody.ErrorResponse;
import io.idnode.protocol.MessageBody.HandleRequest;
import io.idnode.protocol.MessageBody.RemoveValuesRequest;
import io.idnode.protocol.MessageBody.ResolutionRequest;
import io.idnode.protocol.MessageBody.ValuesRequest;
import io.idnode.protocol.MessageHeader;
import io.idnode.protocol.OpCode;
import io.idnode.protocol.OpFlags;
import io.idnode.protocol.ResponseCode;
import io.idnode.store.InMemoryRecordStore;
import io.idnode.testing.Vectors;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server of a two-server site (handle-protocol.md §7.2) through the assembled chain: handles the site's hash
 * gives to the other server are answered 301 and left as they are, whatever the operation; its own handles and
 * the prefix records (held by every server) are answered as on a node of one server.
 */
class ShardLinkTest {
    private static final String PREFIX_HANDLE = "0.NA/" + NodeFixtures.PREFIX;

    private InMemoryRecordStore store;
    private PrivateKey nodeKey;
    private PublicKey nodePublic;
    private SiteInfo site;
    /** This server's position: the one the prefix record does not hash to, so that its exemption shows. */
    private int position;
    private String own;
    private String other;
    /** A handle of the other server that does not exist yet. */
    private String otherNew;

    @BeforeEach
    void setUp() throws Exception {
        nodeKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Vectors.key("rsa_private_pkcs8")));
        nodePublic = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                Vectors.key("rsa_public_x509")));
        SiteInfo one = NodeFixtures.site(nodePublic);
        SiteInfo.ServerInfo first = one.servers().get(0);
        SiteInfo.ServerInfo second = new SiteInfo.ServerInfo(2, first.address(), first.publicKey(),
                List.of(new SiteInfo.ServiceInterface(SiteInfo.ServiceInterface.ADMIN_AND_QUERY,
                        SiteInfo.ServiceInterface.TCP, 2642)));
        site = new SiteInfo(1, 2, 11, 1, true, false, SiteInfo.HASH_BY_HANDLE, "", List.of(),
                List.of(first, second));
        position = 1 - site.serverIndexFor(PREFIX_HANDLE);
        for (int i = 0; own == null || otherNew == null; i++) {
            String h = NodeFixtures.PREFIX + "/H" + i;
            if (site.serverIndexFor(h) == position) {
                own = own == null ? h : own;
            } else if (other == null) {
                other = h;
            } else {
                otherNew = otherNew == null ? h : otherNew;
            }
        }
        store = new InMemoryRecordStore();
        for (String h : List.of(PREFIX_HANDLE, own, other)) {
            store.put(HandleRecord.of(h, List.of(HandleValue.builder(1, "URL").data("https://example.com/" + h)
                    .build())));
        }
    }

    private RequestChain chain(boolean sharded) {
        RequestChain.Builder b = RequestChain.builder(store, new ServedPrefixes(List.of(NodeFixtures.PREFIX)),
                new NodeIdentity(site, nodeKey, nodePublic), CryptoFixtures.PROVIDERS);
        if (sharded) {
            b.shard(position);
        }
        return b.build();
    }

    @Test
    void refusesTheOtherServersHandlesWith301AndChangesNothing() {
        RequestChain chain = chain(true);
        Message resolved = answer(chain, request(OpCode.RESOLUTION, new ResolutionRequest(other, new int[0],
                List.of(), null)));
        assertThat(resolved.responseCode()).isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
        assertThat(((ErrorResponse) resolved.body()).message()).contains(other)
                .contains("server " + site.servers().get(1 - position).serverId());
        List<Message> writes = List.of(
                request(OpCode.CREATE_HANDLE, new ValuesRequest(otherNew, List.of(url(1)))),
                request(OpCode.ADD_VALUE, new ValuesRequest(other, List.of(url(2)))),
                request(OpCode.MODIFY_VALUE, new ValuesRequest(other, List.of(url(1)))),
                request(OpCode.REMOVE_VALUE, new RemoveValuesRequest(other, new int[] {1})),
                request(OpCode.DELETE_HANDLE, new HandleRequest(other)));
        HandleRecord before = store.get(other);
        for (Message write : writes) {
            assertThat(answer(chain, write).responseCode()).as(write.opCode().toString())
                    .isEqualTo(ResponseCode.SERVER_NOT_RESPONSIBLE);
        }
        assertThat(store.get(other)).isEqualTo(before);
        assertThat(store.get(otherNew)).isNull();
    }

    @Test
    void answersItsOwnHandlesAndThePrefixRecords() {
        RequestChain chain = chain(true);
        for (String h : List.of(own, PREFIX_HANDLE)) {
            Message reply = answer(chain, request(OpCode.RESOLUTION, new ResolutionRequest(h, new int[0], List.of(),
                    null)));
            assertThat(reply.responseCode()).as(h).isEqualTo(ResponseCode.SUCCESS);
        }
        // an administrative request for its own handle goes on to the challenge, not a refusal
        Message add = answer(chain, request(OpCode.ADD_VALUE, new ValuesRequest(own, List.of(url(2)))));
        assertThat(add.responseCode()).isEqualTo(ResponseCode.AUTHENTICATION_NEEDED);
    }

    @Test
    void aSiteOfOneServerAnswersEveryHandle() {
        Message reply = answer(chain(false), request(OpCode.RESOLUTION, new ResolutionRequest(other, new int[0],
                List.of(), null)));
        assertThat(reply.responseCode()).isEqualTo(ResponseCode.SUCCESS);
    }

    private static HandleValue url(int index) {
        return HandleValue.builder(index, "URL").data("https://example.com/changed").build();
    }

    private static Message answer(RequestChain chain, Message request) {
        return ReplyCollector.single(chain.answer(request).join());
    }

    private static Message request(OpCode op, MessageBody body) {
        MessageHeader h = new MessageHeader(op, ResponseCode.RESERVED, OpFlags.RECURSIVE, 1, 0, 2_000_000_000L);
        return Message.of(Envelope.request(0, 5), h, body);
    }
}
