/**
 * The node's write-time signature policy: records under configured prefixes must carry an HS_SIGNATURE
 * chained to configured roots, checked by a link of the request chain before anything is written.
 */
package io.idnode.sign.policy;
