package io.idnode.json;

import io.idnode.codec.AdminValueCodec;
import io.idnode.codec.CodecException;
import io.idnode.model.AdminValue;

/**
 * The {@code admin} format of HS_ADMIN data (handle-protocol.md §5.2, §8):
 * {@code {"handle": ..., "index": ..., "permissions": "111111111111"}}, permissions highest bit first.
 */
final class AdminFormat implements DataFormat<AdminValue> {
    private static final int PERMISSION_BITS = 12;

    @Override
    public String name() {
        return "admin";
    }

    @Override
    public AdminValue decode(byte[] data) {
        try {
            return AdminValueCodec.decode(data);
        } catch (CodecException e) {
            return null;
        }
    }

    @Override
    public byte[] encode(AdminValue value) {
        return AdminValueCodec.encode(value);
    }

    @Override
    public AdminValue read(JsonInput in) throws JsonFormatException {
        in.startObject();
        String handle = null;
        Integer index = null;
        Integer permissions = null;
        String name;
        while ((name = in.nextField()) != null) {
            switch (name) {
                case "handle" -> handle = in.handle();
                case "index" -> index = in.integer();
                case "permissions" -> permissions = PermissionBits.read(in, PERMISSION_BITS);
                default -> {
                    // not part of an admin value
                }
            }
        }
        String adminHandle = in.require(handle, "handle");
        int adminIndex = in.require(index, "index");
        return new AdminValue(in.require(permissions, "permissions"), adminHandle, adminIndex);
    }

    @Override
    public void write(AdminValue value, JsonOutput out) {
        out.startObject().field("handle", value.adminHandle()).field("index", value.adminIndex())
                .field("permissions", PermissionBits.text(value.permissions(), PERMISSION_BITS)).endObject();
    }
}
