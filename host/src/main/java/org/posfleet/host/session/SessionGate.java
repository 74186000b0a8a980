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
import org.posfleet.host.store.TerminalStore;
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
 * forgets at most a second of counts; the limit is a policy on key wear, not a balance. With a cached row (below),
 * the other loops' counts are seen at the next fresh read.
 *
 * <p>The gate also keeps the last row it read per terminal and admits a message on it without a read of its own
 * ({@link #admit}): the read moved into the posting's first statement, which reads the terminal's gate version (see
 * {@link TerminalStore.State}) again in the posting's transaction and sends the message back through the gate, on a
 * fresh read, when it changed. A refusal is never decided on a cached row. This saves a round trip (and a statement) per
 * message; the row is a few hundred bytes per terminal and event loop.
 */
public final class SessionGate {

    private static final Logger LOG = Logger.getLogger(SessionGate.class.getName());

    /**
     * A message let through with what the flow needs, or the refusal to send instead. {@code pins} is the
     * session's PIK as a keyed engine, unwrapped on its first use and then kept with the MAC signer.
     */
    public record Admission(Terminal terminal, Session session, MacSigner signer, PinKey pins, Reply refusal,
                            TerminalStore.State admitted) {
        static Admission refused(Reply r) {
            return new Admission(null, null, null, null, r, null);
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

    /**
     * Uses of a session's keys (by key version) counted on this event loop: all of them, those written so far, and
     * those written when the terminal's gate row was last read (which that row's count already holds).
     */
    private static final class Uses {
        final long keyVersion;
        long count;
        long written;
        long writtenAtRead;

        Uses(long keyVersion) {
            this.keyVersion = keyVersion;
        }
    }

    private final HostContext ctx;
    private final Map<String, CachedKeys> keys = new HashMap<>();
    /** The last gate row read per terminal, for admissions that the posting confirms (see {@link #admit}). */
    private final Map<String, TerminalStore.GateRow> rows = new HashMap<>();
    private final Map<String, Uses> counted = new HashMap<>();

    public SessionGate(HostContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Writes the uses counted since the last call, in one statement; the host calls this every second on the
     * gate's event loop, and once more when it stops.
     */
    public Future<Void> flushUses() {
        java.util.List<String> tids = new java.util.ArrayList<>();
        java.util.List<Long> versions = new java.util.ArrayList<>();
        java.util.List<Long> counts = new java.util.ArrayList<>();
        for (var e : counted.entrySet()) {
            Uses u = e.getValue();
            if (u.count > u.written) {
                tids.add(e.getKey());
                versions.add(u.keyVersion);
                counts.add(u.count - u.written);
                u.written = u.count;
            }
        }
        if (tids.isEmpty()) {
            return Future.succeededFuture();
        }
        return ctx.store().addKeyUses(tids.toArray(new String[0]), versions.toArray(new Long[0]), counts.toArray(new Long[0]))
                .onFailure(e -> LOG.warning(() -> "key uses of " + tids.size() + " sessions not written: " + e.getMessage()));
    }

    /** Counts a use of {@code s}'s keys and returns its uses so far, written or not. */
    private long use(Session s) {
        long uses = uses(s) + 1;
        Uses u = counted.get(s.tid());
        if (u == null || u.keyVersion != s.keyVersion()) {
            u = new Uses(s.keyVersion());
            counted.put(s.tid(), u);
        }
        u.count++;
        return uses;
    }

    /** Uses of {@code s}'s keys so far: as read, and those counted here since (written or not). */
    private long uses(Session s) {
        Uses u = counted.get(s.tid());
        return s.uses() + (u == null || u.keyVersion != s.keyVersion() ? 0 : u.count - u.writtenAtRead);
    }

    /** Forgets what was read for the terminal: its next message is decided on a fresh read. */
    public void forget(String tid) {
        rows.remove(tid);
    }

    /**
     * Admits or refuses {@code m}. With {@code cached}, a message the last row read for its terminal admits is
     * admitted without reading again, and the admission carries that row's state for the posting to confirm in its
     * own transaction ({@link Admission#admitted}; the posting goes back to the gate when it changed). Everything
     * else (a refusal, a MAC that does not verify, keys that expired, a terminal not read yet) is decided on a fresh
     * read, as is every message when {@code cached} is false. So the cache can delay nothing but an admission, and a
     * stale admission is caught before anything is written.
     */
    public Future<Admission> admit(IsoMessage m, boolean cached) {
        String tid = m.string(41);
        if (tid == null) {
            return refuse(m, ResponseCode.TERMINAL_NOT_REGISTERED, null, false);
        }
        String key = tid.strip();
        TerminalStore.GateRow last = cached ? rows.get(key) : null;
        if (last != null) {
            Admission a = admitCached(m, last);
            if (a != null) {
                return Future.succeededFuture(a);
            }
        }
        return ctx.store().gate(key).compose(row -> {
            if (row == null) {
                rows.remove(key);
            } else {
                rows.put(key, row);
                Uses u = counted.get(key);
                if (u != null) {
                    u.writtenAtRead = u.written;
                }
            }
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

    /** The admission a cached row gives, or null when the message needs a fresh read. */
    private Admission admitCached(IsoMessage m, TerminalStore.GateRow row) {
        Session s = row.session();
        if (TerminalCheck.of(row.terminal(), m.string(42)).refused() || !row.tmkLoaded() || s == null) {
            return null;
        }
        CachedKeys cached = keys(s);
        if (!m.macMatches(cached.signer)) {
            return null;
        }
        Duration age = Duration.between(s.issuedAt(), ctx.clock().instant());
        if (age.compareTo(ctx.config().keyMaxAge()) > 0 || uses(s) + 1 > ctx.config().keyMaxUses()) {
            return null;
        }
        use(s);
        return new Admission(row.terminal(), s, cached.signer, cached, null, row.state());
    }

    private Admission admit(IsoMessage m, Terminal t, Session s) {
        if (s == null) {
            return new Admission(t, null, null, null, Reply.signOnAgain(Replies.to(m, ResponseCode.STATE_MISMATCH, ctx, false), null), null);
        }
        long uses = use(s); // a MACed message for these keys, whether its MAC verifies or not
        CachedKeys cached = keys(s);
        MacSigner signer = cached.signer;
        if (!m.macMatches(signer)) {
            LOG.info(() -> "TID " + t.tid() + ": MAC does not verify (key version " + s.keyVersion() + ") -> A0");
            return new Admission(t, s, null, null, Reply.signOnAgain(Replies.to(m, ResponseCode.MAC_ERROR, ctx, false), null), null);
        }
        Duration age = Duration.between(s.issuedAt(), ctx.clock().instant());
        if (age.compareTo(ctx.config().keyMaxAge()) > 0 || uses > ctx.config().keyMaxUses()) {
            LOG.info(() -> "TID " + t.tid() + ": working keys expired (age " + age + ", " + uses + " uses) -> 22, sign on again");
            return new Admission(t, s, signer, null, Reply.signOnAgain(Replies.to(m, ResponseCode.STATE_MISMATCH, ctx, true), signer), null);
        }
        return new Admission(t, s, signer, cached, null, null);
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
