package org.posfleet.fleet.terminal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.KeyCheckValue;
import org.posfleet.crypto.KeyTransport;
import org.posfleet.crypto.PinBlock;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.crypto.WorkingKeys;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.frame.Header;
import org.posfleet.protocol.frame.Tpdu;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.MacSigner;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.NetworkCode;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.SignOn;
import org.posfleet.protocol.message.TmkDownload;

/**
 * One terminal over a real TCP socket, blocking: for the command line and for tests, not for load (the
 * fleet's terminals are non-blocking state machines). It builds requests with shared-protocol, unwraps the
 * working keys it is given and checks their check values, as a terminal would.
 */
public final class BlockingTerminal implements AutoCloseable {

    public static final Tpdu TPDU = Tpdu.of(0x0003, 0x0000);
    public static final Header HEADER = Header.of(60, 31, 0, 0, 311301);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String tid;
    private final String mid;
    private final String serial;
    private byte[] tmk;
    private CipherSuite suite;
    private int stan;
    private int batch = 1;
    private WorkingKeys.Clear keys;

    public BlockingTerminal(String host, int port, String tid, String mid, String serial, byte[] tmk, CipherSuite suite) throws IOException {
        this(javax.net.SocketFactory.getDefault(), host, port, tid, mid, serial, tmk, suite);
    }

    /** Over sockets from {@code sockets}: an {@code SSLSocketFactory} for a host with TLS on its terminal port. */
    public BlockingTerminal(javax.net.SocketFactory sockets, String host, int port, String tid, String mid, String serial, byte[] tmk,
                            CipherSuite suite) throws IOException {
        this.socket = sockets.createSocket(host, port);
        this.socket.setSoTimeout(20_000);
        this.socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.tid = tid;
        this.mid = mid;
        this.serial = serial;
        this.tmk = tmk;
        this.suite = suite;
    }

    /** A real terminal keeps its STAN across restarts: a new connection playing it continues after {@code last}. */
    public void continueStanAfter(int last) {
        stan = last;
    }

    public int nextStan() {
        stan = stan % 999_999 + 1;
        return stan;
    }

    /** Sends a frame and waits for the reply frame. */
    public Frame exchange(IsoMessage m, MacSigner signer) throws IOException {
        sendRaw(FrameCodec.encode(new Frame(TPDU, HEADER, m), signer));
        return readFrame();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public Frame readFrame() throws IOException {
        int len = in.readUnsignedShort();
        byte[] body = new byte[len];
        in.readFully(body);
        return FrameCodec.decode(body, 0, len);
    }

    /** True when the host closed the connection (read returns end of stream). */
    public boolean closedByHost() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** Signs on with operator 1 / 123456 and the suite's usual code. */
    public SignOn.Response signOn() throws IOException {
        return signOn(suite == CipherSuite.SM4 ? NetworkCode.SIGN_ON_SM4 : NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, 1, "123456");
    }

    /** Signs on; on 00 unwraps the working keys under the TMK, which checks their check values. */
    public SignOn.Response signOn(int code, int operator, String password) throws IOException {
        byte[] block = tmk == null ? PinBlock.credential(password) : PinBlock.encrypt(suite, tmk, PinBlock.credential(password));
        Frame reply = exchange(new SignOn.Request(nextStan(), tid, mid, batch, code, operator, block, serial).toMessage(), null);
        SignOn.Response r = SignOn.Response.from(reply.message());
        if (r.responseCode() == ResponseCode.APPROVED) {
            keys = WorkingKeys.unpack(code, tmk, r.workingKeys());
            batch = r.batch();
        }
        return r;
    }

    /** The remote TMK download (docs/protocol.md section 7): download, check, confirm, install. */
    public ResponseCode downloadTmk(KeyTransport transport, CipherSuite tmkSuite) throws IOException {
        KeyTransport.KeyPairDer pair = transport.generate();
        int algorithm = tmkSuite == CipherSuite.SM4 ? TmkDownload.TMK_SM4 : TmkDownload.TMK_TDES_DOUBLE;
        TmkDownload.Response r = TmkDownload.Response.from(exchange(new TmkDownload.Request(nextStan(), tid, mid, serial,
                transport.code(), algorithm, pair.publicKey()).toMessage(), null).message());
        if (r.responseCode() != ResponseCode.APPROVED) {
            return r.responseCode();
        }
        byte[] received = transport.decrypt(pair.privateKey(), r.encryptedTmk());
        if (!KeyCheckValue.matches(tmkSuite, received, r.checkValue())) {
            CipherSuite.wipe(received);
            return ResponseCode.SECURITY_FAILURE;
        }
        IsoMessage confirmed = exchange(new TmkDownload.Confirm(nextStan(), tid, mid, serial,
                KeyCheckValue.of(tmkSuite, received, 4)).toMessage(), null).message();
        ResponseCode rc = ResponseCode.of(confirmed.string(39));
        if (rc == ResponseCode.APPROVED) {
            installTmk(received, tmkSuite);
        }
        return rc;
    }

    /** A MACed sale with the session MAK (or a wrong one when {@code corruptMac}). */
    public Frame sale(long amount, boolean corruptMac) throws IOException {
        IsoMessage m = CardTransaction.Request.of(MessageKind.SALE, "6225880000000001", amount, nextStan(), batch, tid, mid).toMessage();
        byte[] mak = keys == null ? new byte[8] : keys.mak().clone();
        if (corruptMac) {
            mak[0] ^= 0x10;
        }
        return exchange(m, new PosEcbMac(suite == null ? CipherSuite.TDES : suite, mak));
    }

    /** Sends a request, MACed with the session's MAK when it announces field 64, and returns the reply. */
    public Frame send(IsoMessage m) throws IOException {
        return exchange(m, m.has(64) && keys != null ? new PosEcbMac(suite, keys.mak()) : null);
    }

    /** Sends a request and waits for a reply within the socket timeout; null when none came. */
    public Frame trySend(IsoMessage m) throws IOException {
        try {
            return send(m);
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    public void socketTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** True when the reply's MAC verifies with the session's MAK. */
    public boolean replyMacValid(IsoMessage reply) {
        return keys != null && reply.macMatches(new PosEcbMac(suite, keys.mak()));
    }

    /** A PIN block for the PAN under the session's PIK (8 bytes TDES, 16 SM4). */
    public byte[] pinBlock(String pan, String pin) {
        return PinBlock.encrypt(suite, keys.pik(), PinBlock.format0(pin, pan));
    }

    /** A credential block (supervisor's void password) under the session's PIK. */
    public byte[] credentialBlock(String password) {
        return PinBlock.encrypt(suite, keys.pik(), PinBlock.credential(password));
    }

    /** A card-transaction request of this terminal with the next STAN and its batch. */
    public CardTransaction.Request request(MessageKind kind, String pan, long amount) {
        return CardTransaction.Request.of(kind, pan, amount, nextStan(), batch, tid, mid);
    }

    public int batch() {
        return batch;
    }

    public void batch(int newBatch) {
        this.batch = newBatch;
    }

    public CipherSuite suite() {
        return suite;
    }

    public void installTmk(byte[] newTmk, CipherSuite newSuite) {
        CipherSuite.wipe(this.tmk);
        this.tmk = newTmk;
        this.suite = newSuite;
    }

    public WorkingKeys.Clear keys() {
        return keys;
    }

    public String tid() {
        return tid;
    }

    public String mid() {
        return mid;
    }

    public String serial() {
        return serial;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
