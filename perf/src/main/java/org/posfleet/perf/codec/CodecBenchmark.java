package org.posfleet.perf.codec;

import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.packager.GenericPackager;
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
import org.openjdk.jmh.infra.Blackhole;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.iso.IsoCodec;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * Decode and encode of one sale, posfleet beside jPOS's GenericPackager on the same bytes (jPOS packs and
 * unpacks the ISO part only: MTI onwards). "decodeAndRead" also turns the fields a host uses into values,
 * since posfleet's decode is lazy and jPOS's is not.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    private SaleFixture sale;
    private GenericPackager packager;
    private ISOMsg jposSale;
    private PosEcbMac mac;

    @Setup
    public void setup() throws ISOException {
        sale = new SaleFixture();
        InputStream xml = CodecBenchmark.class.getResourceAsStream("/jpos/cup-pos.xml");
        packager = new GenericPackager(xml);
        jposSale = new ISOMsg();
        jposSale.setPackager(packager);
        jposSale.unpack(sale.iso);
        mac = new PosEcbMac(CipherSuite.TDES, SaleFixture.MAK);
    }

    @Benchmark
    public IsoMessage posfleetDecode() {
        return IsoCodec.decode(sale.iso, 0, sale.iso.length);
    }

    @Benchmark
    public void posfleetDecodeAndRead(Blackhole bh) {
        IsoMessage m = IsoCodec.decode(sale.iso, 0, sale.iso.length);
        bh.consume(m.string(2));
        bh.consume(m.number(4));
        bh.consume(m.number(11));
        bh.consume(m.string(41));
        bh.consume(m.string(42));
        bh.consume(m.string(60));
    }

    @Benchmark
    public Frame posfleetDecodeFrame() {
        return FrameCodec.decode(sale.frame, FrameCodec.LENGTH_SIZE, sale.frame.length - FrameCodec.LENGTH_SIZE);
    }

    @Benchmark
    public byte[] posfleetEncode() {
        return IsoCodec.encode(sale.message);
    }

    @Benchmark
    public byte[] posfleetEncodeWithMac() {
        return IsoCodec.encode(sale.message, mac);
    }

    /** The request digest (Posting) as it was: the decoded sale rebuilt without field 64, encoded, hashed. */
    @Benchmark
    public byte[] requestDigestReencoded() {
        IsoMessage m = IsoCodec.decode(sale.iso, 0, sale.iso.length);
        byte[] bytes = IsoCodec.encode(m.toBuilder(m.mti()).remove(64).build());
        return sha256.digest(bytes);
    }

    /** The request digest as it is: the decoded sale hashed from its received bytes, field 64's bit cleared. */
    @Benchmark
    public byte[] requestDigestAsTravelled() {
        IsoMessage m = IsoCodec.decode(sale.iso, 0, sale.iso.length);
        m.updateWithoutMac(sha256);
        return sha256.digest();
    }

    private final java.security.MessageDigest sha256 = sha256();

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public ISOMsg jposUnpack() throws ISOException {
        ISOMsg m = new ISOMsg();
        m.setPackager(packager);
        m.unpack(sale.iso);
        return m;
    }

    @Benchmark
    public byte[] jposPack() throws ISOException {
        return jposSale.pack();
    }
}
