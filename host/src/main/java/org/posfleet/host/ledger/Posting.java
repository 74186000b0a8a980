package org.posfleet.host.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.posfleet.host.store.TerminalStore;
import org.posfleet.protocol.iso.IsoCodec;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * Exactly-once journaling of a request. Inside the terminal's transaction: a repeat of a journaled request
 * (same TID, MID, batch, STAN and message class, same content) gets the stored reply again and posts nothing;
 * a different request reusing that key is a duplicate (94); anything else is decided by the flow and written
 * with its reply before the transaction commits.
 */
public final class Posting {

    /** The outcome: the reply to send (null: none), and whether it came from the journal. */
    public record Result(IsoMessage reply, boolean replayed, boolean duplicateKey) {
    }

    private final CommitGroup group;

    public Posting(CommitGroup group) {
        this.group = group;
    }

    /**
     * The terminal's gate state changed between the (cached) admission of a request and its posting: nothing was
     * written, and the request goes back to the gate for a fresh read.
     */
    public static final class GateChanged extends RuntimeException {
        public GateChanged() {
            super("terminal or session changed since admission", null, false, false);
        }
    }

    /**
     * The flow's decision needs work that must not run inside the posting's transaction ({@link Decision#DEFERRED}):
     * nothing was written, and the caller posts again once that work is done.
     */
    public static final class Deferred extends RuntimeException {
        public Deferred() {
            super("decision deferred until work outside the transaction is done", null, false, false);
        }
    }

    /** A posting that reads nothing but its own key before deciding. */
    public Future<Result> once(String tid, String mid, int batch, IsoMessage request, Function<SqlConnection, Future<Decision>> decide) {
        return once(tid, mid, batch, request, null, null, null, null, (c, opening) -> decide.apply(c));
    }

    /**
     * As above, with what the decision reads in the same statement as the duplicate check ({@link Journal#openAll}):
     * a fresh RRN, an earlier reversal, the card of {@code pan} (under its lock, see {@link CommitGroup}), the original at {@code original} (its
     * batch, STAN and message class; null for none) and the terminal's operator {@code operatorNo} (null for none). {@code pan} also keeps other postings of that card out of this
     * one's group (see {@link CommitGroup}). With {@code admitted} (the gate state a cached admission was decided on;
     * null: none to check) the posting first checks, in its transaction, that the gate state is still that one, and
     * fails with {@link GateChanged} having written nothing when it is not.
     */
    public Future<Result> once(String tid, String mid, int batch, IsoMessage request, TerminalStore.State admitted, String pan,
                               int[] original, Integer operatorNo, BiFunction<SqlConnection, Journal.Opening, Future<Decision>> decide) {
        byte[] digest = digest(request);
        int messageClass = messageClass(request);
        int stan = request.has(11) ? (int) request.number(11) : -1;
        Journal.OpenKey key = new Journal.OpenKey(tid, mid, batch, stan, messageClass, pan,
                original == null ? null : original[0], original == null ? null : original[1], original == null ? null : original[2], operatorNo);
        return group.submit(tid, pan, tx -> tx.open(key).compose(o -> {
            if (admitted != null && (o.gateVersion() == null || admitted.gateVersion() != o.gateVersion())) {
                return Future.succeededFuture(STALE);
            }
            JournalEntry previous = o.previous();
            if (previous != null) {
                if (Arrays.equals(previous.requestDigest(), digest)) {
                    IsoMessage stored = previous.reply() == null ? null : IsoCodec.decode(previous.reply(), 0, previous.reply().length);
                    return Future.succeededFuture(new Result(stored, true, false));
                }
                return Future.succeededFuture(new Result(null, false, true));
            }
            return decide.apply(tx.connection(), o).compose(d -> {
                if (d == Decision.DEFERRED) {
                    return Future.succeededFuture(DEFERRED);
                }
                JournalEntry e = d.entry();
                JournalEntry row = new JournalEntry(0, tid, mid, batch, stan, messageClass, e.kind(), e.pan(), e.amount(), e.rrn(),
                        e.authCode(), e.responseCode(), e.status(), e.originalId(), e.balanceDelta(), e.originalPrevStatus(), digest,
                        d.reply() == null ? null : IsoCodec.encode(d.reply()));
                Future<Void> inserted = tx.insert(row, d.statusChanges());
                return (d.pending() == null ? inserted : Future.all(d.pending(), inserted)).map(x -> new Result(d.reply(), false, false));
            });
        })).compose(r -> r == STALE ? Future.failedFuture(new GateChanged())
                : r == DEFERRED ? Future.failedFuture(new Deferred()) : Future.succeededFuture(r));
    }

    /**
     * What a member whose gate state changed, or whose decision was deferred, completes with: it wrote nothing, its
     * group commits without it.
     */
    private static final Result STALE = new Result(null, false, false);
    private static final Result DEFERRED = new Result(null, false, false);

    /** SHA-256 of the request as it travelled, without its MAC: what makes a repeat a repeat. */
    public static byte[] digest(IsoMessage m) {
        MessageDigest sha = SHA256.get();
        m.updateWithoutMac(sha);
        return sha.digest(); // digest() resets it for the next request
    }

    /** A digest per thread, found once: not a provider lookup per request. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** MTI / 100: 1 authorization, 2 financial, 3 batch upload, 4 reversal, 5 settlement, 8 network management. */
    public static int messageClass(IsoMessage m) {
        return m.mti() / 100;
    }
}
