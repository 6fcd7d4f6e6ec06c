package io.idnode.handler;

import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.ValueListCodec;
import io.idnode.model.AdminValue;
import io.idnode.model.HandleValue;
import io.idnode.model.ValueReference;
import io.idnode.model.ValueTypes;
import java.util.List;

/** Values for administration tests: HS_ADMIN, HS_VLIST and plain values. */
public final class AdminFixtures {
    private AdminFixtures() {
    }

    /** An HS_ADMIN value granting {@code permissions} to {@code adminIndex:handle} (§5.2). */
    public static HandleValue admin(int index, String handle, int adminIndex, int permissions) {
        return HandleValue.builder(index, ValueTypes.HS_ADMIN)
                .data(AdminValueCodec.encode(new AdminValue(permissions, handle, adminIndex))).build();
    }

    /** An HS_VLIST value: an admin group of {@code members} (§5.5). */
    public static HandleValue vlist(int index, ValueReference... members) {
        return HandleValue.builder(index, ValueTypes.HS_VLIST).data(ValueListCodec.encode(List.of(members))).build();
    }

    /** A URL value, publicly readable. */
    public static HandleValue url(int index, String url) {
        return HandleValue.builder(index, "URL").data(url).build();
    }

    /** The identity {@code index:handle}. */
    public static ValueReference id(int index, String handle) {
        return new ValueReference(handle, index);
    }
}
