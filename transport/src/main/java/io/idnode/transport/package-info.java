/** The socket implementation a process uses (native epoll or NIO), chosen once for the node, the client and the load tools. */
package io.idnode.transport;
