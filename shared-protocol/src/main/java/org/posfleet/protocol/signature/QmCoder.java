package org.posfleet.protocol.signature;

import java.io.ByteArrayOutputStream;

/**
 * The adaptive binary arithmetic coder of ITU-T T.82 (JBIG1) clause 6.8, the "QM coder" that JPEG's arithmetic
 * mode shares. The encoder writes and the decoder reads the stripe coded data (SCD) before marker stuffing: the
 * caller stuffs and unstuffs 0xFF bytes. Context statistics live in {@link Contexts}, which outlive a stripe.
 */
final class QmCoder {

    private QmCoder() {
    }

    // T.82 Table 24 (the same as T.81 Table D.2): per state, the LPS interval LSZ, the next state after an LPS
    // (NLPS) and after an MPS that renormalized (NMPS), and whether an LPS swaps the MPS sense (SWTCH).
    private static final int[] LSZ = {
        0x5a1d, 0x2586, 0x1114, 0x080b, 0x03d8, 0x01da, 0x00e5, 0x006f, 0x0036, 0x001a, 0x000d, 0x0006, 0x0003, 0x0001,
        0x5a7f, 0x3f25, 0x2cf2, 0x207c, 0x17b9, 0x1182, 0x0cef, 0x09a1, 0x072f, 0x055c, 0x0406, 0x0303, 0x0240, 0x01b1,
        0x0144, 0x00f5, 0x00b7, 0x008a, 0x0068, 0x004e, 0x003b, 0x002c, 0x5ae1, 0x484c, 0x3a0d, 0x2ef1, 0x261f, 0x1f33,
        0x19a8, 0x1518, 0x1177, 0x0e74, 0x0bfb, 0x09f8, 0x0861, 0x0706, 0x05cd, 0x04de, 0x040f, 0x0363, 0x02d4, 0x025c,
        0x01f8, 0x01a4, 0x0160, 0x0125, 0x00f6, 0x00cb, 0x00ab, 0x008f, 0x5b12, 0x4d04, 0x412c, 0x37d8, 0x2fe8, 0x293c,
        0x2379, 0x1edf, 0x1aa9, 0x174e, 0x1424, 0x119c, 0x0f6b, 0x0d51, 0x0bb6, 0x0a40, 0x5832, 0x4d1c, 0x438e, 0x3bdd,
        0x34ee, 0x2eae, 0x299a, 0x2516, 0x5570, 0x4ca9, 0x44d9, 0x3e22, 0x3824, 0x32b4, 0x2e17, 0x56a8, 0x4f46, 0x47e5,
        0x41cf, 0x3c3d, 0x375e, 0x5231, 0x4c0f, 0x4639, 0x415e, 0x5627, 0x50e7, 0x4b85, 0x5597, 0x504f, 0x5a10, 0x5522,
        0x59eb,
    };
    private static final byte[] NLPS = {
        1, 14, 16, 18, 20, 23, 25, 28, 30, 33, 35, 9, 10, 12,
        15, 36, 38, 39, 40, 42, 43, 45, 46, 48, 49, 51, 52, 54,
        56, 57, 59, 60, 62, 63, 32, 33, 37, 64, 65, 67, 68, 69,
        70, 72, 73, 74, 75, 77, 78, 79, 48, 50, 50, 51, 52, 53,
        54, 55, 56, 57, 58, 59, 61, 61, 65, 80, 81, 82, 83, 84,
        86, 87, 87, 72, 72, 74, 74, 75, 77, 77, 80, 88, 89, 90,
        91, 92, 93, 86, 88, 95, 96, 97, 99, 99, 93, 95, 101, 102,
        103, 104, 99, 105, 106, 107, 103, 105, 108, 109, 110, 111, 110, 112,
        112,
    };
    private static final byte[] NMPS = {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 13,
        15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
        29, 30, 31, 32, 33, 34, 35, 9, 37, 38, 39, 40, 41, 42,
        43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
        57, 58, 59, 60, 61, 62, 63, 32, 65, 66, 67, 68, 69, 70,
        71, 72, 73, 74, 75, 76, 77, 78, 79, 48, 81, 82, 83, 84,
        85, 86, 87, 71, 89, 90, 91, 92, 93, 94, 86, 96, 97, 98,
        99, 100, 93, 102, 103, 104, 99, 106, 107, 103, 109, 107, 111, 109,
        111,
    };
    /** States whose LPS turns the MPS sense round. */
    private static final long SWITCH_LOW = (1L << 0) | (1L << 14) | (1L << 36);
    private static final long SWITCH_HIGH = (1L << (64 - 64)) | (1L << (80 - 64)) | (1L << (88 - 64)) | (1L << (95 - 64))
            | (1L << (105 - 64)) | (1L << (110 - 64)) | (1L << (112 - 64));

    static boolean switches(int state) {
        return state < 64 ? (SWITCH_LOW >>> state & 1) != 0 : (SWITCH_HIGH >>> (state - 64) & 1) != 0;
    }

    static int states() {
        return LSZ.length;
    }

    static int lsz(int state) {
        return LSZ[state];
    }

    static int nlps(int state) {
        return NLPS[state];
    }

    static int nmps(int state) {
        return NMPS[state];
    }

    /** Per context: the state index (low 7 bits) and the MPS (bit 7). All start at state 0, MPS 0. */
    static final class Contexts {
        final byte[] st;

        Contexts(int count) {
            st = new byte[count];
        }

        void reset() {
            java.util.Arrays.fill(st, (byte) 0);
        }
    }

    /** INITENC, ENCODE, FLUSH (T.82 6.8.2). */
    static final class Encoder {
        private final Contexts cx;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long c;
        private int a = 0x10000;
        private int ct = 11;
        private int sc;
        private int buffer = -1;

        Encoder(Contexts contexts) {
            this.cx = contexts;
        }

        void encode(int context, int pix) {
            int s = cx.st[context] & 0x7f;
            int mps = (cx.st[context] >> 7) & 1;
            int lsz = LSZ[s];
            a -= lsz;
            if (pix != mps) {
                if (a >= lsz) {
                    c += a;
                    a = lsz;
                }
                cx.st[context] = (byte) (NLPS[s] | ((switches(s) ? 1 - mps : mps) << 7));
            } else {
                if (a >= 0x8000) {
                    return;
                }
                if (a < lsz) {
                    c += a;
                    a = lsz;
                }
                cx.st[context] = (byte) (NMPS[s] | (mps << 7));
            }
            do {
                a <<= 1;
                c <<= 1;
                if (--ct == 0) {
                    byteOut();
                }
            } while (a < 0x8000);
        }

        private void byteOut() {
            long temp = c >>> 19;
            if (temp > 0xff) {
                if (buffer >= 0) {
                    out.write(buffer + 1);
                }
                for (; sc > 0; sc--) {
                    out.write(0x00);
                }
                buffer = (int) (temp & 0xff);
            } else if (temp == 0xff) {
                sc++;
            } else {
                if (buffer >= 0) {
                    out.write(buffer);
                }
                for (; sc > 0; sc--) {
                    out.write(0xff);
                }
                buffer = (int) temp;
            }
            c &= 0x7ffffL;
            ct = 8;
        }

        /**
         * Ends the stripe (CLEARBITS, FINALWRITES) and returns its coded data, unstuffed, with trailing zero bytes
         * left off as T.82 allows: a decoder reads zeros past the end.
         */
        byte[] flush() {
            long temp = (a - 1 + c) & 0xffff0000L;
            c = temp < c ? temp + 0x8000 : temp;
            c <<= ct;
            boolean carry = (c & 0xf8000000L) != 0;
            if (buffer >= 0) {
                out.write(carry ? buffer + 1 : buffer);
            }
            for (; sc > 0; sc--) {
                out.write(carry ? 0x00 : 0xff);
            }
            out.write((int) (c >>> 19) & 0xff);
            out.write((int) (c >>> 11) & 0xff);
            byte[] t = out.toByteArray();
            int n = t.length;
            while (n > 0 && t[n - 1] == 0) {
                n--;
            }
            return java.util.Arrays.copyOf(t, n);
        }
    }

    /** INITDEC and DECODE (T.82 6.8.3) over one stripe's unstuffed coded data; zeros are read past its end. */
    static final class Decoder {
        private final Contexts cx;
        private final byte[] scd;
        private int at;
        private long c;
        private int a;
        private int ct;

        Decoder(Contexts contexts, byte[] scd) {
            this.cx = contexts;
            this.scd = scd;
            byteIn();
            c <<= 8;
            byteIn();
            c <<= 8;
            byteIn();
            a = 0x10000;
        }

        int decode(int context) {
            int s = cx.st[context] & 0x7f;
            int mps = (cx.st[context] >> 7) & 1;
            int lsz = LSZ[s];
            a -= lsz;
            int pix;
            if ((c >>> 16) < a) {
                if (a >= 0x8000) {
                    return mps;
                }
                if (a < lsz) {
                    pix = 1 - mps;
                    cx.st[context] = (byte) (NLPS[s] | ((switches(s) ? 1 - mps : mps) << 7));
                } else {
                    pix = mps;
                    cx.st[context] = (byte) (NMPS[s] | (mps << 7));
                }
            } else {
                c -= (long) a << 16;
                if (a < lsz) {
                    pix = mps;
                    cx.st[context] = (byte) (NMPS[s] | (mps << 7));
                } else {
                    pix = 1 - mps;
                    cx.st[context] = (byte) (NLPS[s] | ((switches(s) ? 1 - mps : mps) << 7));
                }
                a = lsz;
            }
            do {
                if (ct == 0) {
                    byteIn();
                }
                a <<= 1;
                c = (c << 1) & 0xffffffffL;
                ct--;
            } while (a < 0x8000);
            if (ct == 0) {
                byteIn();
            }
            return pix;
        }

        private void byteIn() {
            int b = at < scd.length ? scd[at] & 0xff : 0;
            at++;
            c += (long) b << 8;
            ct = 8;
        }
    }
}
