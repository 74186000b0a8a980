package org.posfleet.host.session;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;
import org.posfleet.host.flow.HostContext;
import org.posfleet.host.flow.Replies;
import org.posfleet.host.flow.Reply;
import org.posfleet.host.flow.TerminalCheck;
import org.posfleet.host.store.Session;
import org.posfleet.host.store.Terminal;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.MacSigner;
import org.posfleet.protocol.message.ResponseCode;

/**
 * The gate every MACed message passes before its flow: the terminal checks (97, 03, 58), a TMK (A7, "key not
 * loaded"), a current session (22 and processing requirement 3: sign on first), keys not expired by age or
 * use count (22 and processing requirement 3), and a MAC that verifies with the session's MAK (A0 and
 * processing requirement 3).
 *
 * <p>One gate per event loop: it caches a keyed MAC engine per terminal and key version, so the MAK is
 * unwrapped once per sign-on, not per message, and the engine is never shared between threads.
 */
public final class SessionGate {

    private static final Logger LOG = Logger.getLogger(SessionGate.class.getName());

    /** A message let through with what the flow needs, or the refusal to send instead. */
    public record Admission(Terminal terminal, Session session, MacSigner signer, Reply refusal) {
        static Admission refused(Reply r) {
            return new Admission(null, null, null, r);
        }
    }

    private record CachedMac(long keyVersion, MacSigner signer) {
    }

    private final HostContext ctx;
    private final Map<String, CachedMac> macs = new HashMap<>();

    public SessionGate(HostContext ctx) {
        this.ctx = ctx;
    }

    public Future<Admission> admit(IsoMessage m) {
        String tid = m.string(41);
        if (tid == null) {
            return refuse(m, ResponseCode.TERMINAL_NOT_REGISTERED, null, false);
        }
        String mid = m.string(42);
        return ctx.store().gate(tid.strip(), mid == null ? "" : mid.strip()).compose(row -> {
            TerminalCheck.Result check = TerminalCheck.of(row == null ? null : row.terminal(), m.string(42));
            if (check.refused()) {
                return refuse(m, check.refusal(), null, false);
            }
            if (!row.tmkLoaded()) {
                return refuse(m, ResponseCode.SECURITY_FAILURE, null, false);
            }
            return Future.succeededFuture(admit(m, row.terminal(), row.session()));
        });
    }

    private Admission admit(IsoMessage m, Terminal t, Session s) {
        if (s == null) {
            return new Admission(t, null, null, Reply.signOnAgain(Replies.to(m, ResponseCode.STATE_MISMATCH, ctx, false), null));
        }
        MacSigner signer = signer(s);
        if (!m.macMatches(signer)) {
            LOG.info(() -> "TID " + t.tid() + ": MAC does not verify (key version " + s.keyVersion() + ") -> A0");
            return new Admission(t, s, null, Reply.signOnAgain(Replies.to(m, ResponseCode.MAC_ERROR, ctx, false), null));
        }
        Duration age = Duration.between(s.issuedAt(), ctx.clock().instant());
        if (age.compareTo(ctx.config().keyMaxAge()) > 0 || s.uses() > ctx.config().keyMaxUses()) {
            LOG.info(() -> "TID " + t.tid() + ": working keys expired (age " + age + ", " + s.uses() + " uses) -> 22, sign on again");
            return new Admission(t, s, signer, Reply.signOnAgain(Replies.to(m, ResponseCode.STATE_MISMATCH, ctx, true), signer));
        }
        return new Admission(t, s, signer, null);
    }

    private MacSigner signer(Session s) {
        CachedMac cached = macs.get(s.tid());
        if (cached == null || cached.keyVersion() != s.keyVersion()) {
            cached = new CachedMac(s.keyVersion(), ctx.securityModule().macSigner(s.mak()));
            macs.put(s.tid(), cached);
        }
        return cached.signer();
    }

    private Future<Admission> refuse(IsoMessage m, ResponseCode rc, MacSigner signer, boolean mac) {
        return Future.succeededFuture(Admission.refused(Reply.of(Replies.to(m, rc, ctx, mac))));
    }
}
