/**
 * Bounds on what remote parties can make the node hold: memory budgets in bytes and per-source quotas,
 * shared by the codec's reassembly and framing, the request chain and the transports, so that every such
 * buffer and table is accounted for the same way and refusals are counted in one place.
 */
package io.idnode.budget;
