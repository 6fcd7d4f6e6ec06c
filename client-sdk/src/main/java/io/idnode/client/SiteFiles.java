package io.idnode.client;

import io.idnode.codec.CodecException;
import io.idnode.codec.SiteInfoCodec;
import io.idnode.json.JsonFormatException;
import io.idnode.json.RecordJsonReader;
import io.idnode.model.SiteInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a node's site file: {@code siteinfo.bin} (HS_SITE wire form, §5.3) or {@code siteinfo.json} (§8). */
final class SiteFiles {
    private static final long MAX_BYTES = 1 << 20;

    private SiteFiles() {
    }

    /** The site in {@code file}, told apart by content: JSON starts with '{'. */
    static SiteInfo read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidSettingException("siteFile", file + " is larger than a site file can be");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidSettingException("siteFile", "cannot read " + file + ": " + e);
        }
        SiteInfo site;
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        try {
            site = text.startsWith("{") ? RecordJsonReader.STANDARD.readSite(text) : SiteInfoCodec.decode(bytes);
        } catch (JsonFormatException | CodecException e) {
            throw new InvalidSettingException("siteFile", file + " is not a site description (siteinfo.bin or "
                    + "siteinfo.json): " + e.getMessage());
        }
        if (site.servers().isEmpty()) {
            throw new InvalidSettingException("siteFile", file + " describes no server");
        }
        return site;
    }
}
