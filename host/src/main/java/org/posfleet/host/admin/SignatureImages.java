package org.posfleet.host.admin;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Renders an uploaded signature's 1-bit raster (rows of {@code width} dots, MSB first, 1 = black) as PNG. */
final class SignatureImages {

    private SignatureImages() {
    }

    static byte[] toPng(byte[] raster, int width) {
        int bytesPerRow = (width + 7) / 8;
        int height = Math.max(1, (raster.length + bytesPerRow - 1) / bytesPerRow);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * bytesPerRow + x / 8;
                boolean black = i < raster.length && (raster[i] & (0x80 >>> (x % 8))) != 0;
                img.setRGB(x, y, black ? 0xFF000000 : 0xFFFFFFFF);
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
