package io.idnode.server.http;

import java.net.InetSocketAddress;

/** What the front knows of an HTTP request besides its message: the peer, and whether it came over TLS. */
public record HttpExchange(InetSocketAddress remote, boolean secure) { }
