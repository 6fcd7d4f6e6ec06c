package io.idnode.server;

import java.time.Duration;

/**
 * Bounds on what remote parties can make the node hold and do, nested in {@link NodeConfig}; README.md
 * ("Limits and queues") names every queue and buffer they bound. Over a bound the node answers 3 (server
 * too busy) or closes the connection, and counts the refusal under the setting's name.
 *
 * @param challengeMemoryBytes        requests held while their challenge waits for an answer
 * @param queueMemoryBytes            requests waiting for the blocking executor
 * @param queueWait                   longest a request may wait for the blocking executor; later it is answered 3
 * @param reassemblyMemoryBytes       chunks of incomplete multi-packet UDP messages (oldest dropped for room)
 * @param tcpFrameMemoryBytes         buffers of TCP frames in progress, across connections (direct memory)
 * @param tcpMaxConnections           TCP connections open at once
 * @param tcpMaxConnectionsPerSource  TCP connections open at once from one address
 * @param tcpRequestTimeout           longest a connection may take to complete a request it began, or to take
 *                                    the replies it is sent
 */
public record LimitSettings(long challengeMemoryBytes, long queueMemoryBytes, Duration queueWait,
        long reassemblyMemoryBytes, long tcpFrameMemoryBytes, int tcpMaxConnections, int tcpMaxConnectionsPerSource,
        Duration tcpRequestTimeout) {
}
