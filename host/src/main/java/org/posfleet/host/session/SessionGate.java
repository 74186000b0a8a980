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
import org.posfleet.host.security.PinKey;
import org.posfleet.host.security.SecurityModule;
import org.posfleet.host.security.WrappedKey;
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
 * unwrapped once per sign-on, not per message, and the engine is never shared between threads; the PIK's
 * engine likewise, from the first PIN block on.
 *
 * <p>Uses of the working keys are counted here, per event loop, and written to the session rows once a second in
 * one statement ({@link #flushUses}): the gate's own read then needs no commit. A terminal whose messages arrive
 * on several event loops may go over the use limit by what the other loops counted in that second, and a crash
 * forgets at most a second of counts; the limit is a policy on key wear, not a balance.
 */
public final class SessionGate {

    private static final Logger LOG = Logger.getLogger(SessionGate.class.getName());

    /**
     * A message let through with what the flow needs, or the refusal to send instead. {@code pins} is the
     * session's PIK as a keyed engine, unwrapped on its first use and then kept with the MAC signer.
     */
    public record Admission(Terminal terminal, Session session, MacSigner signer, PinKey pins, Reply refusal) {
        static Admission refused(Reply r) {
            return new Admission(null, null, null, null, r);
        }
    }

    /** The keyed engines of one session (key version): the MAK's at once, the PIK's when a PIN block first comes. */
    private static final class CachedKeys implements PinKey {
        final long keyVersion;
        final MacSigner signer;
        private final WrappedKey pik;
        private final SecurityModule module;
        private PinKey pins;

        CachedKeys(Session s, SecurityModule module) {
            this.keyVersion = s.keyVersion();
            this.signer = module.macSigner(s.mak());
            this.pik = s.pik();
            this.module = module;
        }

        private synchronized PinKey pins() {
            if (pins == null) {
                pins = module.pinKey(pik);
            }
            return pins;
        }

        @Override
        public String verifyPinBlock(byte[] block, String pan) {
            return pins().verifyPinBlock(block, pan);
        }

        @Override
        public char[] decryptCredential(byte[] block) {
            return pins().decryptCredential(block);
        }
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
    private final Map<String, CachedKeys> keys = new HashMap<>();
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
            return new Admission(t, null, null, null, Reply.signOnAgain(Replies.to(m, ResponseCode.STATE_MISMATCH, ctx, false), null));
        }
        long uses = use(s); // a MACed message for these keys, whether its MAC verifies or not
        CachedKeys cached = keys(s);
        MacSigner signer = cached.signer;
        if (!m.macMatches(signer)) {
            LOG.info(() -> "TID " + t.tid() + ": MAC does not verify (key version " + s.keyVersion() + ") -> A0");
            return new Admission(t, s, null, null, Reply.signOnAgain(Replies.to(m, ResponseCode.MAC_ERROR, ctx, false), null));
        }
        Duration age = Duration.between(s.issuedAt(), ctx.clock().instant());
        if (age.compareTo(ctx.config().keyMaxAge()) > 0 || uses > ctx.config().keyMaxUses()) {
            LOG.info(() -> "TID " + t.tid() + ": working keys expired (age " + age + ", " + uses + " uses) -> 22, sign on again");
            return new Admission(t, s, signer, null, Reply.signOnAgain(Replies.to(m, ResponseCode.STATE_MISMATCH, ctx, true), signer));
        }
        return new Admission(t, s, signer, cached, null);
    }

    private CachedKeys keys(Session s) {
        CachedKeys cached = keys.get(s.tid());
        if (cached == null || cached.keyVersion != s.keyVersion()) {
            cached = new CachedKeys(s, ctx.securityModule());
            keys.put(s.tid(), cached);
        }
        return cached;
    }

    private Future<Admission> refuse(IsoMessage m, ResponseCode rc, MacSigner signer, boolean mac) {
        return Future.succeededFuture(Admission.refused(Reply.of(Replies.to(m, rc, ctx, mac))));
    }
}
