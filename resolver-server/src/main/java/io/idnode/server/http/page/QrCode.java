package io.idnode.server.http.page;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * A QR code (ZXing's encoder) as inline SVG: one path of unit squares with a quiet zone of four modules, drawn
 * with crisp edges at any size, so a phone camera reads it from the screen and a page needs no image request.
 */
final class QrCode {
    /** Modules of white around the code, as the QR standard asks. */
    static final int QUIET_ZONE = 4;

    private QrCode() {
    }

    /** The SVG element of a QR code holding {@code text}, {@code pixels} wide, labelled {@code label} for readers. */
    static String svg(String text, int pixels, String label) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, QUIET_ZONE,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode a QR code of " + text.length() + " characters", e);
        }
        int w = m.getWidth();
        int h = m.getHeight();
        StringBuilder d = new StringBuilder();
        for (int y = 0; y < h; y++) {
            int x = 0;
            while (x < w) {
                if (!m.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < w && m.get(x, y)) {
                    x++;
                }
                d.append('M').append(start).append(' ').append(y).append('h').append(x - start).append("v1h-")
                        .append(x - start).append('z');
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"" + Html.text(label)
                + "\" width=\"" + pixels + "\" height=\"" + pixels + "\" viewBox=\"0 0 " + w + " " + h
                + "\" shape-rendering=\"crispEdges\"><rect width=\"" + w + "\" height=\"" + h
                + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + d + "\"/></svg>";
    }
}
