package org.posfleet.host.flow;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import org.posfleet.host.ledger.Decision;
import org.posfleet.host.ledger.Journal;
import org.posfleet.host.ledger.JournalEntry;
import org.posfleet.host.ledger.Posting;
import org.posfleet.host.session.SessionGate;
import org.posfleet.host.store.Terminal;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.Reversal;

/**
 * Reversal (0400), always acknowledged with 00 and idempotent:
 * <ul>
 *   <li>the original (same TID, MID, batch, STAN) was posted: what it did is undone (balance, and the status of
 *       the original it voided or completed) and it is marked reversed;</li>
 *   <li>the original was declined, or is already reversed: nothing to undo;</li>
 *   <li>the host never saw the original: the reversal is remembered, so the original arriving late is
 *       declined and never posted;</li>
 *   <li>the same reversal again gets the stored reply (it is journaled like every request).</li>
 * </ul>
 */
public final class ReversalFlow {

    private final HostContext ctx;
    private final Journal journal;
    private final Posting posting;

    public ReversalFlow(HostContext ctx, Journal journal, org.posfleet.host.ledger.CommitGroup group) {
        this.ctx = ctx;
        this.journal = journal;
        this.posting = new Posting(group);
    }

    public Future<Reply> handle(IsoMessage m, SessionGate.Admission a) {
        Reversal.Request req = Reversal.Request.from(m);
        Terminal t = a.terminal();
        MessageKind original = req.originalKind();
        // the original has the reversal's own batch and STAN, under its own message class
        int[] originalKey = original == null ? null : new int[] {req.batch(), req.stan(), original.requestMti() / 100};
        return posting.once(t.tid(), t.mid(), req.batch(), m, a.admitted(), null, originalKey, null, (c, o) -> decide(c, t, req, o.original(), m)).map(r -> {
            IsoMessage reply = r.duplicateKey() ? Reversal.response(m, ctx.time(), ctx.date(), ResponseCode.DUPLICATE, true) : r.reply();
            return new Reply(reply, a.signer(), 0);
        });
    }

    private Future<Decision> decide(SqlConnection c, Terminal t, Reversal.Request req, JournalEntry orig, IsoMessage m) {
        IsoMessage ack = Reversal.response(m, ctx.time(), ctx.date(), ResponseCode.APPROVED, true);
        if (req.originalKind() == null) {
            return Future.succeededFuture(new Decision(entry(req, null, 0, JournalEntry.ACKNOWLEDGED), ack));
        }
        if (orig == null) {
            return journal.addOrphanReversal(c, t.tid(), t.mid(), req.batch(), req.stan())
                    .map(v -> new Decision(entry(req, null, 0, JournalEntry.ACKNOWLEDGED), ack));
        }
        if (!orig.status().equals(JournalEntry.POSTED) && !orig.status().equals(JournalEntry.ACKNOWLEDGED)) {
            return Future.succeededFuture(new Decision(entry(req, orig, 0, JournalEntry.ACKNOWLEDGED), ack));
        }
        return Future.succeededFuture(new Decision(entry(req, orig, -orig.balanceDelta(), JournalEntry.POSTED), ack)
                .changing(Journal.undo(orig, JournalEntry.REVERSED)));
    }

    private static JournalEntry entry(Reversal.Request req, JournalEntry orig, long delta, String status) {
        return new JournalEntry(0, null, null, 0, 0, 0, MessageKind.REVERSAL.name(), orig == null ? req.pan() : orig.pan(),
                req.amount() < 0 ? null : req.amount(), null, null, ResponseCode.APPROVED.code(), status,
                orig == null ? null : orig.id(), delta, null, null, null);
    }
}
