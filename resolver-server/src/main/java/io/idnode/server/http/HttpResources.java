package io.idnode.server.http;

import io.idnode.node.RequestChain;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * What the node gives its HTTP endpoints: the request chain every front answers through, the executor for
 * work that may block ({@link RequestChain#mayBlock}), the node's meters, and whether the node is ready
 * (store open, sockets bound).
 */
public record HttpResources(RequestChain chain, Executor blocking, MeterRegistry meters, BooleanSupplier ready) { }
