package org.posfleet.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.posfleet.protocol.iso.Bcd;

/** The stand-in issuer's PIN verification value is HMAC-SHA256 under the PVK, as BouncyCastle computes it. */
class PinVerificationValueTest {

    private static final byte[] C1 = Bcd.fromHex("0123456789ABCDEFFEDCBA98765432100F1E2D3C4B5A69788796A5B4C3D2E1F0");
    private static final byte[] C2 = Bcd.fromHex("1111111111111111222222222222222233333333333333334444444444444444");

    private static byte[] hmac(byte[] key, byte[] data) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }

    @Test
    void theValueIsHmacSha256UnderTheDerivedPvkOnEveryThreadAndAfterTheKeyIsInstalledAgain() throws Exception {
        byte[] lmk = new byte[32];
        for (int i = 0; i < 32; i++) {
            lmk[i] = (byte) (C1[i] ^ C2[i]);
        }
        byte[] pvk = hmac(lmk, "posfleet PIN verification key".getBytes(StandardCharsets.US_ASCII));
        String expected = Bcd.hex(hmac(pvk, "6225880000000001:123456".getBytes(StandardCharsets.US_ASCII)));

        SoftwareSecurityModule sm = new SoftwareSecurityModule(List.of(C1.clone(), C2.clone()));
        String block = sm.installPvk(null); // a database from before the PVK was stored: the derived key
        assertThat(sm.pinVerificationValue("6225880000000001", "123456".toCharArray())).isEqualTo(expected);
        assertThat(sm.pinVerificationValue("6225880000000001", "123456".toCharArray())).as("again, on the keyed MAC kept").isEqualTo(expected);
        assertThat(CompletableFuture.supplyAsync(() -> sm.pinVerificationValue("6225880000000001", "123456".toCharArray())).get())
                .as("on another thread").isEqualTo(expected);
        assertThat(sm.pinVerificationValue("6225880000000001", "123457".toCharArray())).isNotEqualTo(expected);

        sm.installPvk(block); // the stored block, as at every start
        assertThat(sm.pinVerificationValue("6225880000000001", "123456".toCharArray())).isEqualTo(expected);

        SoftwareSecurityModule other = new SoftwareSecurityModule(List.of(C1.clone(), C1.clone()));
        other.installPvk(null);
        assertThat(other.pinVerificationValue("6225880000000001", "123456".toCharArray())).as("another LMK, another PVK").isNotEqualTo(expected);
    }
}
