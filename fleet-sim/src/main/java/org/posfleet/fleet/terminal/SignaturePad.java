package org.posfleet.fleet.terminal;

import org.posfleet.protocol.signature.Bitmap;
import org.posfleet.protocol.signature.Jbig;

/**
 * What a customer signs on the terminal's screen: pen strokes on a 384 x 120 pad (the width of a 58 mm printer's
 * head), JBIG-coded as terminals upload them in field 62. A handful of signatures are drawn once and reused, so
 * that a fleet spends no time drawing.
 */
public final class SignaturePad {

    public static final int WIDTH = 384;
    public static final int HEIGHT = 120;
    private static final byte[][] SIGNED = new byte[8][];

    static {
        for (int i = 0; i < SIGNED.length; i++) {
            SIGNED[i] = Jbig.encode(draw(i), Jbig.Options.TERMINAL);
        }
    }

    private SignaturePad() {
    }

    /** One of a few signatures, JBIG-coded; {@code n} picks which. */
    public static byte[] signature(int n) {
        return SIGNED[Math.floorMod(n, SIGNED.length)].clone();
    }

    /** The strokes of signature {@code n}: three pen strokes of two overlaid waves, two dots thick. */
    public static Bitmap draw(int n) {
        Bitmap pad = new Bitmap(WIDTH, HEIGHT);
        java.util.Random pen = new java.util.Random(1000 + n);
        for (int stroke = 0; stroke < 3; stroke++) {
            double amplitude = 10 + pen.nextDouble() * 20;
            double frequency = 0.02 + pen.nextDouble() * 0.04;
            double phase = pen.nextDouble() * 6;
            double base = 40 + pen.nextDouble() * 40;
            int from = 10 + pen.nextInt(90);
            int to = 250 + pen.nextInt(120);
            for (int t = from * 4; t < to * 4; t++) {
                double x = t / 4.0;
                double y = base + amplitude * Math.sin(frequency * x + phase) + 8 * Math.sin(0.2 * x);
                for (int dx = -1; dx <= 1; dx++) {
                    for (int dy = -1; dy <= 1; dy++) {
                        int px = (int) x + dx;
                        int py = (int) y + dy;
                        if (px >= 0 && px < WIDTH && py >= 0 && py < HEIGHT) {
                            pad.set(px, py, 1);
                        }
                    }
                }
            }
        }
        return pad;
    }
}
