package org.posfleet.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * TMK transport for remote key download: the host encrypts a fresh TMK under the terminal's public key.
 * Public keys travel as X.509 SubjectPublicKeyInfo DER, private keys are held as PKCS#8 DER.
 * <ul>
 *   <li>RSA_OAEP_SHA256: RSA (2048 bits or more) with OAEP, SHA-256 and MGF1-SHA-256, empty label.</li>
 *   <li>SM2: SM2 public-key encryption (GB/T 32918.4) on sm2p256v1, ciphertext C1 || C3 || C2.</li>
 * </ul>
 */
public enum KeyTransport {
    RSA_OAEP_SHA256(1),
    SM2(2);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final X9ECParameters SM2_CURVE = GMNamedCurves.getByName("sm2p256v1");
    private static final ECDomainParameters SM2_DOMAIN = new ECDomainParameters(SM2_CURVE.getCurve(), SM2_CURVE.getG(),
            SM2_CURVE.getN(), SM2_CURVE.getH());
    private static final int MIN_RSA_BITS = 2048;

    private final int code;

    KeyTransport(int code) {
        this.code = code;
    }

    /** The value of DF02 in the TMK download request. */
    public int code() {
        return code;
    }

    public static KeyTransport ofCode(int code) {
        for (KeyTransport t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new CryptoException("unknown key transport " + code);
    }

    /** A key pair as DER: public SubjectPublicKeyInfo and private PKCS#8. */
    public record KeyPairDer(byte[] publicKey, byte[] privateKey) {
        @Override
        public String toString() {
            return "KeyPairDer[private hidden]";
        }
    }

    public KeyPairDer generate() {
        AsymmetricCipherKeyPair kp;
        if (this == RSA_OAEP_SHA256) {
            RSAKeyPairGenerator g = new RSAKeyPairGenerator();
            g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, MIN_RSA_BITS, 100));
            kp = g.generateKeyPair();
        } else {
            ECKeyPairGenerator g = new ECKeyPairGenerator();
            g.init(new ECKeyGenerationParameters(SM2_DOMAIN, RANDOM));
            kp = g.generateKeyPair();
        }
        try {
            return new KeyPairDer(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(kp.getPublic()).getEncoded(),
                    PrivateKeyInfoFactory.createPrivateKeyInfo(kp.getPrivate()).getEncoded());
        } catch (IOException e) {
            throw new CryptoException("cannot encode key pair", e);
        }
    }

    /** Encrypts {@code key} under the public key; throws when the public key is not of this transport. */
    public byte[] encrypt(byte[] publicKeyDer, byte[] key) {
        AsymmetricKeyParameter pub = publicKey(publicKeyDer);
        try {
            if (this == RSA_OAEP_SHA256) {
                OAEPEncoding oaep = new OAEPEncoding(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), null);
                oaep.init(true, new ParametersWithRandom(pub, RANDOM));
                return oaep.processBlock(key, 0, key.length);
            }
            SM2Engine sm2 = new SM2Engine(SM2Engine.Mode.C1C3C2);
            sm2.init(true, new ParametersWithRandom(pub, RANDOM));
            return sm2.processBlock(key, 0, key.length);
        } catch (InvalidCipherTextException e) {
            throw new CryptoException(this + " encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] privateKeyDer, byte[] ciphertext) {
        try {
            AsymmetricKeyParameter priv = PrivateKeyFactory.createKey(privateKeyDer);
            if (this == RSA_OAEP_SHA256) {
                OAEPEncoding oaep = new OAEPEncoding(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), null);
                oaep.init(false, priv);
                return oaep.processBlock(ciphertext, 0, ciphertext.length);
            }
            SM2Engine sm2 = new SM2Engine(SM2Engine.Mode.C1C3C2);
            sm2.init(false, priv);
            return sm2.processBlock(ciphertext, 0, ciphertext.length);
        } catch (IOException | InvalidCipherTextException | RuntimeException e) {
            throw new CryptoException(this + " decryption failed");
        }
    }

    private AsymmetricKeyParameter publicKey(byte[] der) {
        AsymmetricKeyParameter pub;
        try {
            pub = PublicKeyFactory.createKey(der);
        } catch (IOException | RuntimeException e) {
            throw new CryptoException("public key is not valid SubjectPublicKeyInfo DER");
        }
        if (this == RSA_OAEP_SHA256) {
            if (!(pub instanceof RSAKeyParameters rsa) || rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new CryptoException("RSA transport needs an RSA public key of at least " + MIN_RSA_BITS + " bits");
            }
        } else if (!(pub instanceof ECPublicKeyParameters ec) || !ec.getParameters().getCurve().equals(SM2_DOMAIN.getCurve())) {
            throw new CryptoException("SM2 transport needs an sm2p256v1 public key");
        }
        return pub;
    }
}
