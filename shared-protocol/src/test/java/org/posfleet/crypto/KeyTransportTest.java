package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.posfleet.protocol.iso.Bcd.fromHex;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;

class KeyTransportTest {

    private static final byte[] TMK = fromHex("0123456789ABCDEFFEDCBA9876543210");
    private static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    @Test
    void rsaOaepCiphertextDecryptsWithTheJdksOwnOaep() throws Exception {
        KeyTransport.KeyPairDer kp = KeyTransport.RSA_OAEP_SHA256.generate();
        byte[] ct = KeyTransport.RSA_OAEP_SHA256.encrypt(kp.publicKey(), TMK);
        Cipher jdk = Cipher.getInstance("RSA/ECB/OAEPPadding");
        jdk.init(Cipher.DECRYPT_MODE, KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(kp.privateKey())), OAEP_SHA256);
        assertThat(jdk.doFinal(ct)).isEqualTo(TMK);
    }

    @Test
    void jdkOaepCiphertextDecryptsWithOurs() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        Cipher jdk = Cipher.getInstance("RSA/ECB/OAEPPadding");
        jdk.init(Cipher.ENCRYPT_MODE, kp.getPublic(), OAEP_SHA256);
        byte[] ct = jdk.doFinal(TMK);
        assertThat(KeyTransport.RSA_OAEP_SHA256.decrypt(kp.getPrivate().getEncoded(), ct)).isEqualTo(TMK);
        assertThat(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(kp.getPublic().getEncoded()))).isNotNull();
    }

    @Test
    void sm2CiphertextDecryptsWithThePrivateKeyOnly() {
        KeyTransport.KeyPairDer kp = KeyTransport.SM2.generate();
        byte[] ct = KeyTransport.SM2.encrypt(kp.publicKey(), TMK);
        assertThat(ct).hasSize(65 + 32 + TMK.length);
        assertThat(KeyTransport.SM2.decrypt(kp.privateKey(), ct)).isEqualTo(TMK);
        KeyTransport.KeyPairDer other = KeyTransport.SM2.generate();
        assertThatThrownBy(() -> KeyTransport.SM2.decrypt(other.privateKey(), ct)).isInstanceOf(CryptoException.class);
    }

    @Test
    void publicKeyOfTheWrongKindOrGarbageIsRejected() {
        byte[] sm2Public = KeyTransport.SM2.generate().publicKey();
        assertThatThrownBy(() -> KeyTransport.RSA_OAEP_SHA256.encrypt(sm2Public, TMK)).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> KeyTransport.SM2.encrypt(new byte[] {0x30, 0x03, 0x01, 0x01, 0x00}, TMK))
                .isInstanceOf(CryptoException.class);
    }
}
