package org.posfleet.crypto;

import org.posfleet.protocol.iso.Bcd;

/**
 * Track data encryption with the TDK (53.3 = 1): the 8 bytes (one block; 16 under SM4) ending at the
 * second-to-last byte of the packed track are encrypted in place, so the track keeps its length and its last
 * byte. Tracks are packed left-aligned, an odd digit count padded with a zero nibble.
 */
public final class TrackData {

    private TrackData() {
    }

    public static String encrypt(CipherSuite suite, byte[] tdk, String track) {
        return transform(suite, tdk, track, true);
    }

    public static String decrypt(CipherSuite suite, byte[] tdk, String track) {
        return transform(suite, tdk, track, false);
    }

    private static String transform(CipherSuite suite, byte[] tdk, String track, boolean encrypt) {
        int digits = track.length();
        String padded = (digits & 1) == 1 ? track + "0" : track;
        byte[] packed = Bcd.fromHex(padded.replace('=', 'D'));
        int block = suite.blockSize();
        if (packed.length < block + 1) {
            return track; // too short to carry an encrypted block: sent in clear
        }
        int from = packed.length - 1 - block;
        byte[] part = java.util.Arrays.copyOfRange(packed, from, from + block);
        byte[] out = encrypt ? suite.encryptEcb(tdk, part) : suite.decryptEcb(tdk, part);
        System.arraycopy(out, 0, packed, from, block);
        String hex = Bcd.hex(packed);
        return hex.substring(0, digits);
    }
}
