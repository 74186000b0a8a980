package org.posfleet.perf.codec;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.PinBlock;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.crypto.RetailMac;
import org.posfleet.crypto.Tr31KeyBlock;
import org.posfleet.protocol.iso.Bcd;

/** The MACs, PIN block handling and key-block unwrap a host does per message or per sign-on. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CryptoBenchmark {

    private static final byte[] KBPK = Bcd.fromHex("DD7515F2BFC17F85CE48F3CA25CB21F6");

    private SaleFixture sale;
    private PosEcbMac sessionMac;
    private byte[] macInput;
    private byte[] out = new byte[8];
    private byte[] x919Key;
    private String keyBlock;
    private org.posfleet.host.security.SoftwareSecurityModule securityModule;
    private byte[] pvk;
    private byte[] pvvInput;

    @Setup
    public void setup() {
        byte[] c1 = new byte[32];
        byte[] c2 = new byte[32];
        c1[0] = 1;
        c2[1] = 2;
        securityModule = new org.posfleet.host.security.SoftwareSecurityModule(java.util.List.of(c1, c2));
        securityModule.installPvk(null);
        pvk = Bcd.fromHex("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF");
        pvvInput = (SaleFixture.PAN + ":123456").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        sale = new SaleFixture();
        sessionMac = new PosEcbMac(CipherSuite.TDES, SaleFixture.MAK);
        macInput = java.util.Arrays.copyOf(sale.iso, sale.iso.length - 8);
        x919Key = Bcd.fromHex("0123456789ABCDEFFEDCBA9876543210");
        keyBlock = Tr31KeyBlock.wrap(KBPK, new Tr31KeyBlock.Header('B', "M3", 'T', 'C', "00", 'N'), SaleFixture.PIK);
    }

    /** MAC with a session's keyed instance, as the host holds one per signed-on terminal. */
    @Benchmark
    public byte[] posEcbMacSessionKeyed() {
        sessionMac.mac(macInput, 0, macInput.length, out, 0);
        return out;
    }

    /** MAC keying a fresh engine each time, as with one connection per transaction and no session cache. */
    @Benchmark
    public byte[] posEcbMacFreshKey() {
        new PosEcbMac(CipherSuite.TDES, SaleFixture.MAK).mac(macInput, 0, macInput.length, out, 0);
        return out;
    }

    @Benchmark
    public byte[] x919Mac() {
        return RetailMac.x919(x919Key, macInput, RetailMac.Padding.ZEROS);
    }

    @Benchmark
    public String pinBlockDecryptAndDecode() {
        return PinBlock.decodeFormat0(PinBlock.decrypt(CipherSuite.TDES, SaleFixture.PIK, sale.pinBlock), SaleFixture.PAN);
    }

    /** The stand-in issuer's PIN verification value, as the host computes it for every sale with a PIN. */
    @Benchmark
    public String pinVerificationValue() {
        return securityModule.pinVerificationValue(SaleFixture.PAN, "123456".toCharArray());
    }

    /** The same HMAC-SHA256, keyed afresh each time in BouncyCastle, as the host computed it before run 11. */
    @Benchmark
    public byte[] pinVerificationValueKeyedPerCall() {
        org.bouncycastle.crypto.macs.HMac mac = new org.bouncycastle.crypto.macs.HMac(new org.bouncycastle.crypto.digests.SHA256Digest());
        mac.init(new org.bouncycastle.crypto.params.KeyParameter(pvk));
        mac.update(pvvInput, 0, pvvInput.length);
        byte[] result = new byte[32];
        mac.doFinal(result, 0);
        return result;
    }

    @Benchmark
    public byte[] tr31Unwrap() {
        return Tr31KeyBlock.unwrap(KBPK, keyBlock).key();
    }
}
