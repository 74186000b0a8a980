package org.posfleet.perf.codec;

import java.io.InputStream;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.PinBlock;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.fleet.terminal.SignaturePad;
import org.posfleet.host.ledger.Posting;
import org.posfleet.protocol.field.OriginalTransaction;
import org.posfleet.protocol.field.SettlementTotals;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.frame.Header;
import org.posfleet.protocol.frame.Tpdu;
import org.posfleet.protocol.iso.IsoCodec;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.NetworkCode;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.Settlement;
import org.posfleet.protocol.message.SignOn;
import org.posfleet.protocol.message.SignatureUpload;

/**
 * Decode and encode per message type, posfleet beside jPOS's GenericPackager on the same bytes, and the work of
 * a journal row (the request's digest and the reply's encoding, what the host stores with every posting). Each
 * message is built through the production API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MessageTypeBenchmark {

    @Param({"SIGN_ON", "SALE", "VOID", "SETTLEMENT", "SIGNATURE"})
    String type;

    private IsoMessage message;
    private IsoMessage reply;
    private byte[] iso;
    private ISOMsg jpos;

    @Setup
    public void setup() throws ISOException {
        String tid = "10000001";
        String mid = "898100000000001";
        byte[] pik = SaleFixture.PIK;
        message = switch (type) {
            case "SIGN_ON" -> new SignOn.Request(1, tid, mid, 1, NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, 1,
                    PinBlock.encrypt(CipherSuite.TDES, pik, PinBlock.credential("123456")), "SN-0001").toMessage();
            case "SALE" -> new SaleFixture().message;
            case "VOID" -> CardTransaction.Request.of(MessageKind.SALE_VOID, SaleFixture.PAN, 12345, 8, 1, tid, mid)
                    .withOriginal("112410000007", "123456", OriginalTransaction.of(1, 7))
                    .withSupervisor(0, PinBlock.encrypt(CipherSuite.TDES, pik, PinBlock.credential("888888"))).toMessage();
            case "SETTLEMENT" -> new Settlement.Request(9, tid, mid, 1, 1, new SettlementTotals(new SettlementTotals.Totals(123450, 10, 0, 0, 0),
                    SettlementTotals.Totals.ZERO), "156").toMessage();
            case "SIGNATURE" -> new SignatureUpload.Request(10, tid, mid, 1, SaleFixture.PAN, 12345, "112410000007", null,
                    SignaturePad.signature(1)).toMessage();
            default -> throw new IllegalArgumentException(type);
        };
        byte[] frame = FrameCodec.encode(new Frame(Tpdu.of(3, 0), Header.of(60, 31, 0, 0, 311301), message),
                message.has(64) ? new PosEcbMac(CipherSuite.TDES, SaleFixture.MAK) : null);
        iso = Arrays.copyOfRange(frame, SaleFixture.ISO_OFFSET, frame.length);
        message = IsoCodec.decode(iso, 0, iso.length);
        reply = message.toBuilder(message.mti() + 10).set(39, ResponseCode.APPROVED.code()).build();
        try (InputStream xml = MessageTypeBenchmark.class.getResourceAsStream("/jpos/cup-pos.xml")) {
            GenericPackager packager = new GenericPackager(xml);
            jpos = new ISOMsg();
            jpos.setPackager(packager);
            jpos.unpack(iso);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public IsoMessage posfleetDecode() {
        return IsoCodec.decode(iso, 0, iso.length);
    }

    @Benchmark
    public byte[] posfleetEncode() {
        return IsoCodec.encode(message);
    }

    @Benchmark
    public ISOMsg jposUnpack() throws ISOException {
        ISOMsg m = new ISOMsg();
        m.setPackager(jpos.getPackager());
        m.unpack(iso);
        return m;
    }

    @Benchmark
    public byte[] jposPack() throws ISOException {
        return jpos.pack();
    }

    /** What a posting adds per message: the request's digest (repeat detection) and the reply as stored. */
    @Benchmark
    public int journalRow() {
        return Posting.digest(message).length + IsoCodec.encode(reply).length;
    }
}
