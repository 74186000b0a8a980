package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.posfleet.protocol.iso.Bcd.fromHex;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.posfleet.protocol.message.NetworkCode;

class WorkingKeysTest {

    private static final byte[] TMK = fromHex("0123456789ABCDEFFEDCBA9876543210");
    private static final byte[] PIK16 = fromHex("11111111111111112222222222222222");
    private static final byte[] MAK8 = fromHex("3333333333333333");
    private static final byte[] TDK16 = fromHex("44444444444444445555555555555555");

    @Test
    void singleDesLayoutIs24BytesOfKeyAndCheckValue() {
        byte[] pik = fromHex("1111111111111111");
        byte[] f = WorkingKeys.pack(NetworkCode.SIGN_ON_SINGLE_DES, TMK, new WorkingKeys.Clear(pik, MAK8, null));
        assertThat(f).hasSize(24);
        assertThat(Arrays.copyOfRange(f, 0, 8)).isEqualTo(CipherSuite.TDES.encryptEcb(TMK, pik));
        assertThat(Arrays.copyOfRange(f, 8, 12)).isEqualTo(KeyCheckValue.of(CipherSuite.TDES, pik, 4));
        assertThat(Arrays.copyOfRange(f, 12, 20)).isEqualTo(CipherSuite.TDES.encryptEcb(TMK, MAK8));
        assertThat(Arrays.copyOfRange(f, 20, 24)).isEqualTo(KeyCheckValue.of(CipherSuite.TDES, MAK8, 4));
        WorkingKeys.Clear back = WorkingKeys.unpack(NetworkCode.SIGN_ON_SINGLE_DES, TMK, f);
        assertThat(back.pik()).isEqualTo(pik);
        assertThat(back.mak()).isEqualTo(MAK8);
    }

    @Test
    void doubleLengthLayoutPutsEightZeroBytesAfterTheMak() {
        byte[] f = WorkingKeys.pack(NetworkCode.SIGN_ON_DOUBLE_DES, TMK, new WorkingKeys.Clear(PIK16, MAK8, null));
        assertThat(f).hasSize(40);
        assertThat(Arrays.copyOfRange(f, 0, 16)).isEqualTo(CipherSuite.TDES.encryptEcb(TMK, PIK16));
        assertThat(Arrays.copyOfRange(f, 16, 20)).isEqualTo(KeyCheckValue.of(CipherSuite.TDES, PIK16, 4));
        assertThat(Arrays.copyOfRange(f, 20, 28)).isEqualTo(CipherSuite.TDES.encryptEcb(TMK, MAK8));
        assertThat(Arrays.copyOfRange(f, 28, 36)).containsOnly(0);
        assertThat(Arrays.copyOfRange(f, 36, 40)).isEqualTo(KeyCheckValue.of(CipherSuite.TDES, MAK8, 4));
    }

    @Test
    void trackKeyLayoutAppendsTheTdk() {
        byte[] f = WorkingKeys.pack(NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, TMK, new WorkingKeys.Clear(PIK16, MAK8, TDK16));
        assertThat(f).hasSize(60);
        assertThat(Arrays.copyOfRange(f, 40, 56)).isEqualTo(CipherSuite.TDES.encryptEcb(TMK, TDK16));
        WorkingKeys.Clear back = WorkingKeys.unpack(NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, TMK, f);
        assertThat(back.pik()).isEqualTo(PIK16);
        assertThat(back.mak()).isEqualTo(MAK8);
        assertThat(back.tdk()).isEqualTo(TDK16);
    }

    @Test
    void sm4LayoutIsThreeSixteenByteKeysWithCheckValues() {
        byte[] mak16 = fromHex("66666666666666667777777777777777");
        byte[] f = WorkingKeys.pack(NetworkCode.SIGN_ON_SM4, TMK, new WorkingKeys.Clear(PIK16, mak16, TDK16));
        assertThat(f).hasSize(60);
        assertThat(Arrays.copyOfRange(f, 20, 36)).isEqualTo(CipherSuite.SM4.encryptEcb(TMK, mak16));
        assertThat(Arrays.copyOfRange(f, 36, 40)).isEqualTo(KeyCheckValue.of(CipherSuite.SM4, mak16, 4));
        assertThat(WorkingKeys.unpack(NetworkCode.SIGN_ON_SM4, TMK, f).mak()).isEqualTo(mak16);
    }

    @Test
    void wrongCheckValueOrLengthIsRejected() {
        byte[] f = WorkingKeys.pack(NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, TMK, new WorkingKeys.Clear(PIK16, MAK8, TDK16));
        f[57] ^= 1;
        assertThatThrownBy(() -> WorkingKeys.unpack(NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, TMK, f))
                .isInstanceOf(CryptoException.class).hasMessageContaining("TDK");
        assertThatThrownBy(() -> WorkingKeys.unpack(NetworkCode.SIGN_ON_DOUBLE_DES, TMK, Arrays.copyOf(f, 39)))
                .isInstanceOf(CryptoException.class);
        byte[] wrongTmk = fromHex("0123456789ABCDEFFEDCBA9876543212");
        byte[] g = WorkingKeys.pack(NetworkCode.SIGN_ON_DOUBLE_DES, TMK, new WorkingKeys.Clear(PIK16, MAK8, null));
        assertThatThrownBy(() -> WorkingKeys.unpack(NetworkCode.SIGN_ON_DOUBLE_DES, wrongTmk, g)).isInstanceOf(CryptoException.class);
    }
}
