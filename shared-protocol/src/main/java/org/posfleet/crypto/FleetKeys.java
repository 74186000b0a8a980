package org.posfleet.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Per-terminal TMKs for a test fleet, derived from one fleet key that the host's provisioning command and the
 * fleet simulator are both given: every terminal gets its own TMK (as the field practice demands) without a
 * file of thousands of keys.
 * <pre>
 *   TMK(tid) = TDES-ECB(fleet key, "TMK1" + tid padded to 12 bytes with spaces) (16 bytes)
 * </pre>
 * For test fleets only: anyone holding the fleet key holds every TMK of the fleet.
 */
public final class FleetKeys {

    private FleetKeys() {
    }

    /** The test card of a fleet terminal: 8888, four zeros, the 8-digit TID (16 digits). */
    public static String panFor(String tid) {
        return "88880000" + tid;
    }

    public static byte[] tmkFor(byte[] fleetKey, String tid) {
        if (fleetKey.length != 16) {
            throw new CryptoException("a fleet key is 16 bytes");
        }
        byte[] input = Arrays.copyOf(("TMK1" + tid).getBytes(StandardCharsets.US_ASCII), 16);
        for (int i = 4 + tid.length(); i < 16; i++) {
            input[i] = ' ';
        }
        return CipherSuite.TDES.encryptEcb(fleetKey, input);
    }
}
