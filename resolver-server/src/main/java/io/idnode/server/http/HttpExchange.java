package io.idnode.server.http;

import java.net.InetSocketAddress;

/** What the front knows of the exchange besides the request. */
public record HttpExchange(InetSocketAddress remote, boolean secure) { }
