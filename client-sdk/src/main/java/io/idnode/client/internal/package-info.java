/**
 * The client transport shared by the SDK, the load generator and a node that talks to other nodes: Netty
 * channels to one server each ({@link io.idnode.client.internal.TcpRequestChannel},
 * {@link io.idnode.client.internal.UdpRequestChannel}) with their requests in flight
 * ({@link io.idnode.client.internal.InFlightRequests}). Public for those modules, not an API: it may change
 * with them.
 */
package io.idnode.client.internal;
