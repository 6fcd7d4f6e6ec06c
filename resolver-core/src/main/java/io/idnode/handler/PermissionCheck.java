package io.idnode.handler;

import io.idnode.model.ValueReference;
import io.idnode.protocol.Message;

/**
 * Says, before the proof in a challenge answer is checked, whether the identity it names may have the
 * held-back request answered (handle-protocol.md §6.3 step 2: permission before proof, so that an identity
 * without permission costs no signature check or PBKDF2). Links that challenge requests implement it for
 * the requests they answer.
 */
@FunctionalInterface
public interface PermissionCheck {

    /**
     * The refusal (a 4xx, 1xx or 2xx outcome) if {@code identity} may not have {@code request} answered as
     * things stand; null if it may, or if {@code request} is not one this link answers.
     */
    Outcome refusal(Message request, ValueReference identity);
}
