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
 *
 * <p>Uses of the working keys are counted here, per event loop, and written to the session rows once a second in
 * one statement ({@link #flushUses}): the gate's own read then needs no commit. A terminal whose messages arrive
 * on several event loops may go over the use limit by what the other loops counted in that second, and a crash
 * forgets at most a second of counts; the limit is a policy on key wear, not a balance.
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

    /** Uses counted for a session (by key version) and not yet written. */
    private static final class Uses {
        final long keyVersion;
        long count;

        Uses(long keyVersion) {
            this.keyVersion = keyVersion;
        }
    }

    private final HostContext ctx;
    private final Map<String, CachedMac> macs = new HashMap<>();
    private Map<String, Uses> unwritten = new HashMap<>();

    public SessionGate(HostContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Writes the uses counted since the last call, in one statement; the host calls this every second on the
     * gate's event loop, and once more when it stops.
     */
    public Future<Void> flushUses() {
        if (unwritten.isEmpty()) {
            return Future.succeededFuture();
        }
        Map<String, Uses> batch = unwritten;
        unwritten = new HashMap<>();
        String[] tids = new String[batch.size()];
        Long[] versions = new Long[batch.size()];
        Long[] counts = new Long[batch.size()];
        int i = 0;
        for (var e : batch.entrySet()) {
            tids[i] = e.getKey();
            versions[i] = e.getValue().keyVersion;
            counts[i++] = e.getValue().count;
        }
        return ctx.store().addKeyUses(tids, versions, counts)
                .onFailure(e -> LOG.warning(() -> "key uses of " + batch.size() + " sessions not written: " + e.getMessage()));
    }

    /** Counts a use of {@code s}'s keys and returns its uses so far, written or not. */
    private long use(Session s) {
        Uses u = unwritten.get(s.tid());
        if (u == null || u.keyVersion != s.keyVersion()) {
            u = new Uses(s.keyVersion());
            unwritten.put(s.tid(), u);
        }
        u.count++;
        return s.uses() + u.count;
    }

    public Future<Admission> admit(IsoMessage m) {
        String tid = m.string(41);
        if (tid == null) {
            return refuse(m, ResponseCode.TERMINAL_NOT_REGISTERED, null, false);
        }
        return ctx.store().gate(tid.strip()).compose(row -> {
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
        long uses = use(s); // a MACed message for these keys, whether its MAC verifies or not
        MacSigner signer = signer(s);
        if (!m.macMatches(signer)) {
            LOG.info(() -> "TID " + t.tid() + ": MAC does not verify (key version " + s.keyVersion() + ") -> A0");
            return new Admission(t, s, null, Reply.signOnAgain(Replies.to(m, ResponseCode.MAC_ERROR, ctx, false), null));
        }
        Duration age = Duration.between(s.issuedAt(), ctx.clock().instant());
        if (age.compareTo(ctx.config().keyMaxAge()) > 0 || uses > ctx.config().keyMaxUses()) {
            LOG.info(() -> "TID " + t.tid() + ": working keys expired (age " + age + ", " + uses + " uses) -> 22, sign on again");
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
