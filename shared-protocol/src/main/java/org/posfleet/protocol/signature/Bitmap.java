package org.posfleet.protocol.signature;

import java.util.Arrays;

/**
 * A bi-level image: rows of {@code width} pixels packed eight to a byte, most significant bit first, 1 = black
 * (ink), each row padded with zero bits to a whole byte. This is the layout of PBM (P4) and of a thermal printer
 * line, and what JBIG codes.
 */
public final class Bitmap {

    private final int width;
    private final int height;
    private final int bytesPerRow;
    private final byte[] rows;

    public Bitmap(int width, int height) {
        this(width, height, new byte[checkedSize(width, height)]);
    }

    /** @param rows packed rows as described above; copied */
    public Bitmap(int width, int height, byte[] rows) {
        if (rows.length != checkedSize(width, height)) {
            throw new IllegalArgumentException("a " + width + " x " + height + " bitmap has " + checkedSize(width, height) + " bytes, not " + rows.length);
        }
        this.width = width;
        this.height = height;
        this.bytesPerRow = (width + 7) / 8;
        this.rows = rows.clone();
    }

    private static int checkedSize(int width, int height) {
        if (width < 1 || height < 1 || (long) ((width + 7) / 8) * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bitmap size " + width + " x " + height + " is out of range");
        }
        return ((width + 7) / 8) * height;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixel at (x, y): 1 black, 0 white; 0 outside the image, as JBIG's templates read it. */
    public int get(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return 0;
        }
        return (rows[y * bytesPerRow + (x >> 3)] >> (7 - (x & 7))) & 1;
    }

    public void set(int x, int y, int value) {
        int i = y * bytesPerRow + (x >> 3);
        int bit = 0x80 >> (x & 7);
        rows[i] = (byte) (value != 0 ? rows[i] | bit : rows[i] & ~bit);
    }

    /** True when row {@code y} equals row {@code other}, or is all white when {@code other} is negative. */
    boolean rowEquals(int y, int other) {
        int from = y * bytesPerRow;
        for (int i = 0; i < bytesPerRow; i++) {
            int b = other < 0 ? 0 : rows[other * bytesPerRow + i];
            if (rows[from + i] != b) {
                return false;
            }
        }
        return true;
    }

    void copyRow(int from, int to) {
        if (from < 0) {
            Arrays.fill(rows, to * bytesPerRow, (to + 1) * bytesPerRow, (byte) 0);
        } else {
            System.arraycopy(rows, from * bytesPerRow, rows, to * bytesPerRow, bytesPerRow);
        }
    }

    /** The packed rows (a copy). */
    public byte[] rows() {
        return rows.clone();
    }

    public int blackPixels() {
        int n = 0;
        for (byte b : rows) {
            n += Integer.bitCount(b & 0xff);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bitmap b && b.width == width && b.height == height && Arrays.equals(b.rows, rows);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rows);
    }

    @Override
    public String toString() {
        return "Bitmap[" + width + " x " + height + ", " + blackPixels() + " black]";
    }
}
