package org.posfleet.host.flow;

import io.vertx.core.Future;
import java.util.logging.Logger;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.CryptoException;
import org.posfleet.crypto.KeyTransport;
import org.posfleet.host.store.Terminal;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.ProtocolException;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.TmkDownload;

/**
 * Remote TMK download (docs/protocol.md section 7). 0800/350: the registered terminal's bound device sends a
 * public key; a fresh TMK goes back encrypted under it and waits, pending, for 0800/351 whose check value
 * activates it. Bad TLV, transport or public key: 30. Wrong device: 97. Confirmation that matches no
 * pending TMK: A7.
 */
public final class TmkDownloadFlow {

    private static final Logger LOG = Logger.getLogger(TmkDownloadFlow.class.getName());

    private final HostContext ctx;

    public TmkDownloadFlow(HostContext ctx) {
        this.ctx = ctx;
    }

    public Future<Reply> download(IsoMessage m) {
        TmkDownload.Request req;
        try {
            req = TmkDownload.Request.from(m);
        } catch (ProtocolException e) {
            return fail(m, ResponseCode.FORMAT_ERROR, "TMK download with malformed field 62: " + e.getMessage());
        }
        return TerminalCheck.check(ctx, req.tid(), req.mid()).compose(check -> {
            if (check.refused()) {
                return fail(m, check.refusal(), "TMK download refused");
            }
            Terminal t = check.terminal();
            if (!boundDevice(t, req.deviceSerial())) {
                return event(t, "TMK download refused", "from device " + req.deviceSerial())
                        .compose(v -> fail(m, ResponseCode.TERMINAL_NOT_REGISTERED, "TMK download from an unbound device"));
            }
            CipherSuite suite = req.tmkAlgorithm() == TmkDownload.TMK_SM4 ? CipherSuite.SM4
                    : req.tmkAlgorithm() == TmkDownload.TMK_TDES_DOUBLE ? CipherSuite.TDES : null;
            if (suite == null || req.publicKey() == null || (req.transport() != 1 && req.transport() != 2)) {
                return fail(m, ResponseCode.FORMAT_ERROR, "TMK download without transport, algorithm or public key");
            }
            KeyTransport transport = KeyTransport.ofCode(req.transport());
            return ctx.blocking(() -> {
                var tmk = ctx.securityModule().generateTmk(suite);
                try {
                    return new Object[] {tmk, ctx.securityModule().exportTmk(tmk, transport, req.publicKey())};
                } catch (CryptoException e) {
                    return null;
                }
            }).compose(result -> {
                if (result == null) {
                    return fail(m, ResponseCode.FORMAT_ERROR, "TMK download with an unusable " + transport + " public key");
                }
                var tmk = (org.posfleet.host.security.WrappedKey) result[0];
                byte[] encrypted = (byte[]) result[1];
                return ctx.store().storePendingTmk(t.tid(), tmk)
                        .compose(v -> event(t, "TMK sent", transport + ", " + suite + ", check value " + tmk.checkValue()))
                        .map(v -> Reply.of(new TmkDownload.Response(req.stan(), ctx.time(), ctx.date(), ResponseCode.APPROVED,
                                req.tid(), req.mid(), encrypted, Bcd.fromHex(tmk.checkValue()), req.tmkAlgorithm()).toMessage()));
            });
        });
    }

    public Future<Reply> confirm(IsoMessage m) {
        TmkDownload.Confirm req;
        try {
            req = TmkDownload.Confirm.from(m);
        } catch (ProtocolException e) {
            return fail(m, ResponseCode.FORMAT_ERROR, "TMK confirmation with malformed field 62");
        }
        return TerminalCheck.check(ctx, req.tid(), req.mid()).compose(check -> {
            if (check.refused()) {
                return fail(m, check.refusal(), "TMK confirmation refused");
            }
            Terminal t = check.terminal();
            if (!boundDevice(t, req.deviceSerial()) || req.checkValue() == null) {
                return fail(m, ResponseCode.TERMINAL_NOT_REGISTERED, "TMK confirmation from an unbound device");
            }
            return ctx.store().activatePendingTmk(t.tid(), Bcd.hex(req.checkValue())).compose(ok -> ok
                    ? Future.succeededFuture(Reply.of(Replies.to(m, ResponseCode.APPROVED, ctx, false)))
                    : fail(m, ResponseCode.SECURITY_FAILURE, "TMK confirmation matches no pending TMK"));
        });
    }

    private static boolean boundDevice(Terminal t, String serial) {
        return t.deviceSerial() != null && t.deviceSerial().equals(serial);
    }

    private Future<Void> event(Terminal t, String event, String detail) {
        return ctx.store().event(t.tid(), event, detail);
    }

    private Future<Reply> fail(IsoMessage m, ResponseCode rc, String why) {
        LOG.info(() -> "TID " + m.string(41) + ": " + why + " -> " + rc.code());
        return Future.succeededFuture(Reply.of(Replies.to(m, rc, ctx, false)));
    }
}
