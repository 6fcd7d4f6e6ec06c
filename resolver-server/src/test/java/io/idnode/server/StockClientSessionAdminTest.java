package io.idnode.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.idnode.protocol.Message;
import io.idnode.server.StockClientSessionTest.Exchange;
import io.idnode.server.StockClientSessionTest.Relay;
import net.handle.hdllib.AbstractResponse;
import net.handle.hdllib.AddValueRequest;
import net.handle.hdllib.AuthenticationInfo;
import net.handle.hdllib.CreateHandleRequest;
import net.handle.hdllib.FilesystemConfiguration;
import net.handle.hdllib.HandleResolver;
import net.handle.hdllib.Interface;
import net.handle.hdllib.SiteInfo;
import net.handle.hdllib.Util;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The administration scenarios with the client's default session tracker (handle-protocol.md §6.5): the
 * library sets up a session per identity before its first administrative request, answers one challenge in
 * it, and sends the rest on the session MAC alone.
 */
class StockClientSessionAdminTest extends StockClientAdminScenarios {
    Relay relay;

    @Override
    boolean sessions() {
        return true;
    }

    @BeforeAll
    void startRelay() throws Exception {
        relay = new Relay(node.port());
    }

    @AfterAll
    void stopRelay() throws Exception {
        relay.close();
    }

    /** A session-using client whose every TCP request goes through the relay. */
    HandleResolver throughRelay(String name) throws Exception {
        SiteInfo site = StockClients.site(temp.resolve("data"));
        for (Interface i : site.servers[0].interfaces) {
            i.port = relay.port();
        }
        HandleResolver r = StockClients.resolver(site, temp.resolve(name), true, Interface.SP_HDL_TCP);
        // The prefix record's HS_SITE names the node's own port: a local site keeps requests on the relay.
        ((FilesystemConfiguration) r.getConfiguration()).setLocalSites(PREFIX_HANDLE, new SiteInfo[] {site});
        return r;
    }
}
