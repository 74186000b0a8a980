package org.posfleet.protocol.message;

import static org.posfleet.protocol.iso.Bcd.fromHex;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.PinBlock;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.crypto.WorkingKeys;
import org.posfleet.protocol.field.BatchUploadItems;
import org.posfleet.protocol.field.OriginalTransaction;
import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.field.SecurityControl;
import org.posfleet.protocol.field.SettlementTotals;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.frame.Header;
import org.posfleet.protocol.frame.Tpdu;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.MacSigner;

/** One deterministic example of every message the host and terminals exchange, shared by the golden and interop tests. */
public final class Samples {

    public static final byte[] TMK = fromHex("0123456789ABCDEFFEDCBA9876543210");
    public static final byte[] PIK = fromHex("1A2B3C4D5E6F70818293A4B5C6D7E8F9");
    public static final byte[] MAK = fromHex("0F1E2D3C4B5A6978");
    public static final byte[] TDK = fromHex("F0E1D2C3B4A5968778695A4B3C2D1E0F");
    public static final String TID = "10000001";
    public static final String MID = "898100000000001";
    public static final String PAN = "6225880000000001";
    public static final Tpdu TPDU = Tpdu.of(0x0003, 0x0000);
    public static final Header HEADER = Header.of(60, 31, 0, 0, 311301);
    public static final String TIME = "103015";
    public static final String DATE = "1124";

    /** A named example: the message and the kind a classifier must see in it. */
    public record Sample(String name, MessageKind kind, IsoMessage message) {
        public MacSigner signer() {
            return message.has(64) ? new PosEcbMac(CipherSuite.TDES, MAK) : null;
        }

        public Frame frame() {
            return new Frame(message.mti() % 20 >= 10 ? TPDU.reply() : TPDU, HEADER, message);
        }

        public byte[] encode() {
            return FrameCodec.encode(frame(), signer());
        }
    }

    private Samples() {
    }

    public static List<Sample> all() {
        Map<String, Sample> s = new LinkedHashMap<>();
        byte[] password = PinBlock.encrypt(CipherSuite.TDES, TMK, PinBlock.credential("123456"));
        add(s, "sign-on-request", MessageKind.SIGN_ON,
                new SignOn.Request(1, TID, MID, 1, NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, 1, password, "SN20261124001").toMessage());
        byte[] keys = WorkingKeys.pack(NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, TMK, new WorkingKeys.Clear(PIK, MAK, TDK));
        add(s, "sign-on-response", MessageKind.SIGN_ON, new SignOn.Response(1, TIME, DATE, "00000000001", "112410000001",
                ResponseCode.APPROVED, TID, MID, 1, NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, keys).toMessage());
        byte[] sm4Keys = WorkingKeys.pack(NetworkCode.SIGN_ON_SM4, TMK, new WorkingKeys.Clear(PIK, TDK, PIK));
        add(s, "sign-on-sm4-response", MessageKind.SIGN_ON, new SignOn.Response(2, TIME, DATE, "00000000001", null,
                ResponseCode.APPROVED, TID, MID, 1, NetworkCode.SIGN_ON_SM4, sm4Keys).toMessage());
        add(s, "sign-on-no-key-response", MessageKind.SIGN_ON, new SignOn.Response(3, TIME, DATE, null, null,
                ResponseCode.SECURITY_FAILURE, TID, MID, 1, NetworkCode.SIGN_ON_DOUBLE_DES, null).toMessage());
        for (MessageKind k : List.of(MessageKind.SIGN_OFF, MessageKind.ECHO_TEST, MessageKind.PARAMETER_DOWNLOAD)) {
            String name = k.name().toLowerCase().replace('_', '-');
            byte[] data = k == MessageKind.PARAMETER_DOWNLOAD ? "9F0601A0000003330101".getBytes(StandardCharsets.US_ASCII) : null;
            add(s, name + "-request", k, new NetworkManagement.Request(k, 4, TID, MID, 1, null).toMessage());
            add(s, name + "-response", k, new NetworkManagement.Response(k, 4, TIME, DATE, ResponseCode.APPROVED, TID, MID, 1, data).toMessage());
        }
        byte[] publicKey = new byte[91];
        for (int i = 0; i < publicKey.length; i++) {
            publicKey[i] = (byte) (i * 7 + 3);
        }
        add(s, "tmk-download-request", MessageKind.TMK_DOWNLOAD, new TmkDownload.Request(5, TID, MID, "SN20261124001",
                TmkDownload.TRANSPORT_SM2, TmkDownload.TMK_TDES_DOUBLE, publicKey).toMessage());
        add(s, "tmk-download-response", MessageKind.TMK_DOWNLOAD, new TmkDownload.Response(5, TIME, DATE, ResponseCode.APPROVED,
                TID, MID, java.util.Arrays.copyOf(publicKey, 113), fromHex("08D7B4FB"), TmkDownload.TMK_TDES_DOUBLE).toMessage());
        add(s, "tmk-confirm-request", MessageKind.TMK_CONFIRM, new TmkDownload.Confirm(6, TID, MID, "SN20261124001",
                fromHex("08D7B4FB")).toMessage());

        byte[] pin = PinBlock.encrypt(CipherSuite.TDES, PIK, PinBlock.format0("123456", PAN));
        SecurityControl sc = new SecurityControl(SecurityControl.PIN_FORMAT_ISO0_WITH_PAN, SecurityControl.ALGORITHM_DOUBLE_DES, 0);
        CardTransaction.Request sale = CardTransaction.Request.of(MessageKind.SALE, PAN, 12345, 7, 1, TID, MID)
                .withTracks("6225880000000001D2512101", null, "2512").withPin(pin, sc);
        add(s, "sale-request", MessageKind.SALE, sale.toMessage());
        add(s, "sale-response", MessageKind.SALE, new CardTransaction.Response(MessageKind.SALE, PAN, 12345, 7, TIME, DATE, "2512",
                "1124", "00000000001", "112410000007", "A12345", ResponseCode.APPROVED, TID, MID, "156", null,
                Reserved60.of(MessageTypeCode.SALE, 1, 0)).toMessage(true));
        byte[] supervisor = PinBlock.encrypt(CipherSuite.TDES, PIK, PinBlock.credential("888888"));
        add(s, "sale-void-request", MessageKind.SALE_VOID, CardTransaction.Request.of(MessageKind.SALE_VOID, PAN, 12345, 8, 1, TID, MID)
                .withOriginal("112410000007", "A12345", OriginalTransaction.of(1, 7)).withSupervisor(0, supervisor).toMessage());
        add(s, "refund-request", MessageKind.REFUND, CardTransaction.Request.of(MessageKind.REFUND, PAN, 500, 9, 2, TID, MID)
                .withOriginal("112410000007", null, new OriginalTransaction(1, 7, 1124, "")).toMessage());
        add(s, "balance-request", MessageKind.BALANCE_ENQUIRY, CardTransaction.Request.of(MessageKind.BALANCE_ENQUIRY, PAN, -1, 10, 2, TID, MID)
                .withPin(pin, sc).toMessage());
        add(s, "balance-response", MessageKind.BALANCE_ENQUIRY, new CardTransaction.Response(MessageKind.BALANCE_ENQUIRY, PAN, -1, 10,
                TIME, DATE, null, null, "00000000001", "112410000010", null, ResponseCode.APPROVED, TID, MID, "156",
                "1002156C000000100000", Reserved60.of(MessageTypeCode.BALANCE, 2, 0)).toMessage(true));
        add(s, "preauth-request", MessageKind.PREAUTH, CardTransaction.Request.of(MessageKind.PREAUTH, PAN, 100000, 11, 2, TID, MID)
                .withPin(pin, sc).toMessage());
        add(s, "preauth-void-request", MessageKind.PREAUTH_VOID, CardTransaction.Request.of(MessageKind.PREAUTH_VOID, PAN, 100000, 12, 2, TID, MID)
                .withOriginal(null, "B00011", new OriginalTransaction(2, 11, 1124, "")).withSupervisor(0, supervisor).toMessage());
        add(s, "completion-request", MessageKind.COMPLETION, CardTransaction.Request.of(MessageKind.COMPLETION, PAN, 90000, 13, 2, TID, MID)
                .withOriginal(null, "B00011", new OriginalTransaction(2, 11, 1124, "")).toMessage());
        add(s, "completion-void-request", MessageKind.COMPLETION_VOID, CardTransaction.Request.of(MessageKind.COMPLETION_VOID, PAN, 90000, 14,
                2, TID, MID).withOriginal("112410000013", "B00011", OriginalTransaction.of(2, 13)).withSupervisor(0, supervisor).toMessage());
        IsoMessage reversal = Reversal.of(sale.toMessage(), ResponseCode.ISSUER_TIMEOUT);
        add(s, "reversal-request", MessageKind.REVERSAL, reversal);
        add(s, "reversal-response", MessageKind.REVERSAL, Reversal.response(reversal, TIME, DATE, ResponseCode.APPROVED, true));
        SettlementTotals totals = new SettlementTotals(new SettlementTotals.Totals(12345, 1, 500, 1, 0), SettlementTotals.Totals.ZERO);
        add(s, "settlement-request", MessageKind.SETTLEMENT, new Settlement.Request(15, TID, MID, 1, 1, totals, "156").toMessage());
        add(s, "settlement-response", MessageKind.SETTLEMENT, new Settlement.Response(15, TIME, DATE, "1124", "112410000015",
                ResponseCode.APPROVED, TID, MID, 1, new SettlementTotals(totals.domestic().withResult(2), totals.foreign().withResult(1)),
                "156").toMessage());
        IsoMessage upload = BatchUpload.Request.items(16, TID, MID, 1, new BatchUploadItems(List.of(
                new BatchUploadItems.Item(0, PAN, 12345), new BatchUploadItems.Item(1, "4761340000000019", 500)))).toMessage();
        add(s, "batch-upload-request", MessageKind.BATCH_UPLOAD, upload);
        add(s, "batch-upload-response", MessageKind.BATCH_UPLOAD, BatchUpload.response(upload, TIME, DATE, ResponseCode.APPROVED));
        add(s, "batch-upload-end-request", MessageKind.BATCH_UPLOAD_END, BatchUpload.Request.end(17, TID, MID, 1, false, 2).toMessage());
        byte[] image = new byte[300];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i ^ 0x5A);
        }
        IsoMessage signature = new SignatureUpload.Request(18, TID, MID, 1, PAN, 12345, "112410000007",
                fromHex("FF0001020304"), image).toMessage();
        add(s, "signature-upload-request", MessageKind.SIGNATURE_UPLOAD, signature);
        add(s, "signature-upload-response", MessageKind.SIGNATURE_UPLOAD, SignatureUpload.response(signature, TIME, DATE, ResponseCode.APPROVED));
        return List.copyOf(s.values());
    }

    private static void add(Map<String, Sample> s, String name, MessageKind kind, IsoMessage m) {
        s.put(name, new Sample(name, kind, m));
    }
}
