package org.posfleet.host.admin;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.posfleet.protocol.signature.Bitmap;
import org.posfleet.protocol.signature.Jbig;

/** Renders an uploaded signature (a JBIG image, field 62) as PNG: black ink on white. */
final class SignatureImages {

    private SignatureImages() {
    }

    /** @throws Jbig.JbigException when the stored bytes are not a JBIG image this host decodes */
    static byte[] toPng(byte[] bie) {
        Bitmap b = Jbig.decode(bie);
        BufferedImage img = new BufferedImage(b.width(), b.height(), BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < b.height(); y++) {
            for (int x = 0; x < b.width(); x++) {
                img.setRGB(x, y, b.get(x, y) == 1 ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
