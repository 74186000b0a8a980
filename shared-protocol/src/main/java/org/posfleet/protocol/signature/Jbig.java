package org.posfleet.protocol.signature;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * JBIG1 (ITU-T T.82 / ISO 11544) bi-level image entities (BIEs), as terminals upload signatures in field 62: one
 * resolution layer (D = 0), one bit plane, sequential stripes. Decoding supports what a single-layer image can
 * carry: three- and two-line templates (LRLTWO), typical prediction (TPBON), adaptive template moves (ATMOVE),
 * stripes ended by SDNORM or SDRST, NEWLEN with VLENGTH, comments and a private DP table (skipped: it matters only
 * to differential layers). Progressive images (D &gt; 0) and several bit planes are refused with a clear error.
 *
 * <p>Encoding writes what terminals write: one layer, typical prediction on, no adaptive template moves.
 */
public final class Jbig {

    /** T.82 marker codes (after the 0xFF escape). */
    private static final int ESC = 0xff;
    private static final int STUFF = 0x00;
    private static final int SDNORM = 0x02;
    private static final int SDRST = 0x03;
    private static final int ABORT = 0x04;
    private static final int NEWLEN = 0x05;
    private static final int ATMOVE = 0x06;
    private static final int COMMENT = 0x07;

    /** Options byte of the BIH. */
    static final int LRLTWO = 0x40;
    static final int VLENGTH = 0x20;
    static final int TPDON = 0x10;
    static final int TPBON = 0x08;
    static final int DPON = 0x04;
    static final int DPPRIV = 0x02;
    static final int DPLAST = 0x01;

    /** The contexts in which typical prediction's SLNTP is coded, two- and three-line template (T.82 6.7.3). */
    private static final int TPB2CX = 0x195;
    private static final int TPB3CX = 0x0e5;
    private static final int BIH_LENGTH = 20;
    private static final int DP_TABLE_LENGTH = 1728;
    /** A guard against hostile headers: signatures are a few hundred dots square. */
    public static final long MAX_PIXELS = 16L * 1024 * 1024;

    private Jbig() {
    }

    /** A malformed or unsupported BIE, with the byte offset where it went wrong. */
    public static final class JbigException extends IllegalArgumentException {
        private final int offset;

        JbigException(String message, int offset) {
            super(message + " (at byte " + offset + ")");
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    /** How to encode: the two-line template or the three-line one, typical prediction, lines per stripe. */
    public record Options(boolean twoLineTemplate, boolean typicalPrediction, int linesPerStripe) {
        public static final Options TERMINAL = new Options(false, true, 128);

        public Options {
            if (linesPerStripe < 1) {
                throw new IllegalArgumentException("a stripe has at least one line");
            }
        }
    }

    // -- decoding

    private record AtMove(long line, int tx) {
    }

    private record Stripe(byte[] scd, boolean resetAfter, int offset) {
    }

    public static Bitmap decode(byte[] bie) {
        return decode(bie, MAX_PIXELS);
    }

    /** Decodes an image of at most {@code maxPixels}; a header asking for more is refused before any work. */
    public static Bitmap decode(byte[] bie, long maxPixels) {
        if (bie.length < BIH_LENGTH) {
            throw new JbigException("a BIE starts with a 20-byte header; got " + bie.length + " bytes", 0);
        }
        int dl = bie[0] & 0xff;
        int d = bie[1] & 0xff;
        int planes = bie[2] & 0xff;
        long xd = u32(bie, 4);
        long yd = u32(bie, 8);
        long l0 = u32(bie, 12);
        int mx = bie[16] & 0xff;
        int my = bie[17] & 0xff;
        int options = bie[19] & 0xff;
        if (dl != 0 || d != 0) {
            throw new JbigException("progressive JBIG (DL " + dl + ", D " + d + ") is not supported; signatures are one layer", 0);
        }
        if (planes != 1) {
            throw new JbigException(planes + " bit planes; a signature has one", 2);
        }
        if (bie[3] != 0) {
            throw new JbigException("header fill byte is not zero", 3);
        }
        if (xd < 1 || yd < 1 || xd * yd > Math.min(maxPixels, MAX_PIXELS) || xd > Integer.MAX_VALUE) {
            throw new JbigException("image size " + xd + " x " + yd + " is out of range", 4);
        }
        if (l0 < 1 || l0 > 0xffffffffL) {
            throw new JbigException("lines per stripe L0 = " + l0, 12);
        }
        if (my != 0) {
            throw new JbigException("MY = " + my + ": adaptive template moves are horizontal only (T.82 6.7.3)", 17);
        }
        if ((bie[18] & 0xf0) != 0 || (options & 0x80) != 0) {
            throw new JbigException("reserved bits set in the order or options byte", 18);
        }
        int p = BIH_LENGTH;
        if ((options & DPON) != 0 && (options & DPPRIV) != 0 && (options & DPLAST) == 0) {
            p += DP_TABLE_LENGTH;
            if (p > bie.length) {
                throw new JbigException("the private DP table is cut short", BIH_LENGTH);
            }
        }

        List<Stripe> stripes = new ArrayList<>();
        List<AtMove> moves = new ArrayList<>();
        long height = yd;
        while (p < bie.length) {
            if ((bie[p] & 0xff) == ESC && p + 1 < bie.length && (bie[p + 1] & 0xff) != STUFF) {
                int marker = bie[p + 1] & 0xff;
                switch (marker) {
                    case ATMOVE -> {
                        need(bie, p, 8);
                        long yat = u32(bie, p + 2);
                        int tx = bie[p + 6] & 0xff;
                        int ty = bie[p + 7] & 0xff;
                        int min = (options & LRLTWO) != 0 ? 5 : 3;
                        if (ty != 0 || (tx != 0 && (tx < min || tx > mx))) {
                            throw new JbigException("ATMOVE to (" + tx + ", " + ty + ") is outside 0 or " + min + ".." + mx, p);
                        }
                        moves.add(new AtMove(yat, tx));
                        p += 8;
                    }
                    case NEWLEN -> {
                        need(bie, p, 6);
                        long newLength = u32(bie, p + 2);
                        if ((options & VLENGTH) == 0 || newLength < 1 || newLength > height) {
                            throw new JbigException("NEWLEN to " + newLength + " lines is not allowed here", p);
                        }
                        height = newLength;
                        p += 6;
                    }
                    case COMMENT -> {
                        need(bie, p, 6);
                        long length = u32(bie, p + 2);
                        if (p + 6 + length > bie.length) {
                            throw new JbigException("comment of " + length + " bytes runs past the end", p);
                        }
                        p += 6 + (int) length;
                    }
                    case SDNORM, SDRST -> {
                        // a stripe whose coded data is empty: every decision is read from the zeros past its end
                        stripes.add(new Stripe(new byte[0], marker == SDRST, p));
                        p += 2;
                    }
                    case ABORT -> throw new JbigException("the encoder aborted the image (ABORT marker)", p);
                    default -> throw new JbigException(String.format("marker 0xFF%02X between stripes", marker), p);
                }
                continue;
            }
            int start = p;
            ByteArrayOutputStream scd = new ByteArrayOutputStream();
            boolean ended = false;
            while (p < bie.length) {
                int b = bie[p] & 0xff;
                if (b != ESC) {
                    scd.write(b);
                    p++;
                    continue;
                }
                if (p + 1 >= bie.length) {
                    throw new JbigException("stripe data ends in an escape byte", p);
                }
                int next = bie[p + 1] & 0xff;
                p += 2;
                if (next == STUFF) {
                    scd.write(ESC);
                } else if (next == SDNORM || next == SDRST) {
                    stripes.add(new Stripe(scd.toByteArray(), next == SDRST, start));
                    ended = true;
                    break;
                } else {
                    throw new JbigException(String.format("marker 0xFF%02X inside stripe data", next), p - 2);
                }
            }
            if (!ended) {
                throw new JbigException("stripe data is not ended by SDNORM or SDRST", start);
            }
        }
        return decodeStripes(stripes, moves, (int) xd, (int) height, l0, options, bie.length);
    }

    private static Bitmap decodeStripes(List<Stripe> stripes, List<AtMove> moves, int width, int height, long l0, int options, int end) {
        Bitmap image = new Bitmap(width, height);
        boolean twoLine = (options & LRLTWO) != 0;
        boolean tpb = (options & TPBON) != 0;
        QmCoder.Contexts contexts = new QmCoder.Contexts(1024);
        int tx = 0;
        int lntp = 1;
        int firstRow = 0; // rows above this one read as white: the image's top, or the stripe after an SDRST
        int y = 0;
        for (Stripe stripe : stripes) {
            if (y >= height) {
                break;
            }
            QmCoder.Decoder decoder = new QmCoder.Decoder(contexts, stripe.scd());
            long stripeEnd = Math.min(height, y + l0);
            for (; y < stripeEnd; y++) {
                for (AtMove m : moves) {
                    if (m.line() == y) {
                        tx = m.tx();
                    }
                }
                if (tpb) {
                    int slntp = decoder.decode(twoLine ? TPB2CX : TPB3CX);
                    lntp = (slntp ^ lntp) == 0 ? 1 : 0;
                    if (lntp == 0) {
                        image.copyRow(y > firstRow ? y - 1 : -1, y);
                        continue;
                    }
                }
                for (int x = 0; x < width; x++) {
                    int cx = twoLine ? twoLineContext(image, x, y, firstRow, tx) : threeLineContext(image, x, y, firstRow, tx);
                    if (decoder.decode(cx) != 0) {
                        image.set(x, y, 1);
                    }
                }
            }
            if (stripe.resetAfter()) {
                contexts.reset();
                tx = 0;
                lntp = 1;
                firstRow = y;
            }
        }
        if (y < height) {
            throw new JbigException("the image data ends at line " + y + " of " + height, end);
        }
        return image;
    }

    /**
     * T.82 Figure 3, the three-line template: two lines up x-1..x+1, one line up x-2..x+2 (x+2 is the adaptive
     * pixel's default place; moved to (x - tx) on this line), this line x-2 and x-1.
     */
    private static int threeLineContext(Bitmap b, int x, int y, int firstRow, int tx) {
        int up2 = y - 2 >= firstRow ? y - 2 : -1;
        int up1 = y - 1 >= firstRow ? y - 1 : -1;
        int at = tx == 0 ? px(b, x + 2, up1) : px(b, x - tx, y);
        return px(b, x - 1, up2) << 9 | px(b, x, up2) << 8 | px(b, x + 1, up2) << 7
                | px(b, x - 2, up1) << 6 | px(b, x - 1, up1) << 5 | px(b, x, up1) << 4 | px(b, x + 1, up1) << 3
                | at << 2 | b.get(x - 2, y) << 1 | b.get(x - 1, y);
    }

    /** T.82 Figure 4, the two-line template: one line up x-3..x+2 (x+2 adaptive), this line x-4..x-1. */
    private static int twoLineContext(Bitmap b, int x, int y, int firstRow, int tx) {
        int up1 = y - 1 >= firstRow ? y - 1 : -1;
        int at = tx == 0 ? px(b, x + 2, up1) : px(b, x - tx, y);
        return px(b, x - 3, up1) << 9 | px(b, x - 2, up1) << 8 | px(b, x - 1, up1) << 7 | px(b, x, up1) << 6
                | px(b, x + 1, up1) << 5 | at << 4
                | b.get(x - 4, y) << 3 | b.get(x - 3, y) << 2 | b.get(x - 2, y) << 1 | b.get(x - 1, y);
    }

    private static int px(Bitmap b, int x, int row) {
        return row < 0 ? 0 : b.get(x, row);
    }

    // -- encoding

    public static byte[] encode(Bitmap image, Options o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int options = (o.twoLineTemplate() ? LRLTWO : 0) | (o.typicalPrediction() ? TPBON : 0);
        out.write(0); // DL
        out.write(0); // D
        out.write(1); // P
        out.write(0);
        writeU32(out, image.width());
        writeU32(out, image.height());
        writeU32(out, o.linesPerStripe());
        out.write(0); // MX: no adaptive template moves
        out.write(0); // MY
        out.write(0); // order
        out.write(options);

        QmCoder.Contexts contexts = new QmCoder.Contexts(1024);
        int ltpOld = 0;
        for (int top = 0; top < image.height(); top += o.linesPerStripe()) {
            QmCoder.Encoder encoder = new QmCoder.Encoder(contexts);
            int bottom = Math.min(image.height(), top + o.linesPerStripe());
            for (int y = top; y < bottom; y++) {
                if (o.typicalPrediction()) {
                    int ltp = image.rowEquals(y, y - 1) ? 1 : 0;
                    encoder.encode(o.twoLineTemplate() ? TPB2CX : TPB3CX, ltp == ltpOld ? 1 : 0);
                    ltpOld = ltp;
                    if (ltp == 1) {
                        continue;
                    }
                }
                for (int x = 0; x < image.width(); x++) {
                    int cx = o.twoLineTemplate() ? twoLineContext(image, x, y, 0, 0) : threeLineContext(image, x, y, 0, 0);
                    encoder.encode(cx, image.get(x, y));
                }
            }
            for (byte b : encoder.flush()) {
                out.write(b);
                if ((b & 0xff) == ESC) {
                    out.write(STUFF);
                }
            }
            out.write(ESC);
            out.write(SDNORM);
        }
        return out.toByteArray();
    }

    /** True when the bytes start like a single-layer BIE this class can decode (cheap; the image may still be bad). */
    public static boolean looksLikeBie(byte[] data) {
        return data.length >= BIH_LENGTH && data[0] == 0 && data[1] == 0 && data[2] == 1 && data[3] == 0 && u32(data, 4) > 0 && u32(data, 8) > 0;
    }

    private static void need(byte[] bie, int p, int n) {
        if (p + n > bie.length) {
            throw new JbigException("marker segment cut short", p);
        }
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xffL) << 16 | (b[at + 2] & 0xffL) << 8 | (b[at + 3] & 0xffL);
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }
}
