package org.posfleet.host.flow;

import io.vertx.core.Future;
import org.posfleet.host.ledger.Decision;
import org.posfleet.host.ledger.Journal;
import org.posfleet.host.ledger.JournalEntry;
import org.posfleet.host.ledger.Posting;
import org.posfleet.host.store.Terminal;
import org.posfleet.protocol.field.SettlementTotals;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.BatchUpload;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.Settlement;

/**
 * Settlement (0500) and batch upload (0320). The terminal's totals in 48 are compared with the host's own for
 * the batch (sales and completions as debits, refunds as credits, everything posted and not voided or
 * reversed). Balanced: result 1, the batch closes and the terminal moves to the next batch number. Not
 * balanced: result 2; the terminal uploads its transactions (0320/201) and ends the upload (0320/202 or
 * 207), which closes the batch. A settlement for another batch than the terminal's gets 77.
 */
public final class SettlementFlow {

    private final HostContext ctx;
    private final Journal journal;
    private final Posting posting;

    public SettlementFlow(HostContext ctx, Journal journal, org.posfleet.host.ledger.CommitGroup group) {
        this.ctx = ctx;
        this.journal = journal;
        this.posting = new Posting(group);
    }

    public Future<Reply> settle(IsoMessage m) {
        Settlement.Request req = Settlement.Request.from(m);
        return TerminalCheck.check(ctx, req.tid(), req.mid()).compose(check -> {
            if (check.refused()) {
                return reply(req, check.refusal(), req.batch(), req.totals());
            }
            Terminal t = check.terminal();
            if (req.batch() != t.batchNo()) {
                return reply(req, ResponseCode.BATCH_MISMATCH, t.batchNo(), req.totals());
            }
            if (req.totals() == null) {
                return reply(req, ResponseCode.FORMAT_ERROR, t.batchNo(), null);
            }
            return posting.once(t.tid(), t.mid(), req.batch(), m, c -> journal.totals(c, t.tid(), req.batch()).compose(host -> {
                SettlementTotals.Totals own = new SettlementTotals.Totals(host[0], (int) host[1], host[2], (int) host[3], 0);
                boolean domesticOk = own.sameTotals(req.totals().domestic());
                boolean foreignOk = req.totals().foreign().sameTotals(SettlementTotals.Totals.ZERO);
                boolean balanced = domesticOk && foreignOk;
                SettlementTotals verdict = new SettlementTotals(
                        req.totals().domestic().withResult(domesticOk ? SettlementTotals.RESULT_BALANCED : SettlementTotals.RESULT_NOT_BALANCED),
                        req.totals().foreign().withResult(foreignOk ? SettlementTotals.RESULT_BALANCED : SettlementTotals.RESULT_NOT_BALANCED));
                Future<Void> closed = journal.recordBatch(c, t.tid(), req.batch(), balanced ? "settled" : "uploading",
                        own.toString(), req.totals().toString(), balanced);
                if (balanced) {
                    closed = closed.compose(v -> journal.advanceBatch(c, t.tid(), req.batch())).mapEmpty();
                }
                IsoMessage reply = new Settlement.Response(req.stan(), ctx.time(), ctx.date(), ctx.date(), null, ResponseCode.APPROVED,
                        req.tid(), req.mid(), req.batch(), verdict, req.currency()).toMessage();
                return closed.map(v -> new Decision(entry(MessageKind.SETTLEMENT, ResponseCode.APPROVED), reply));
            })).map(r -> r.duplicateKey() ? Reply.of(Replies.to(m, ResponseCode.DUPLICATE, ctx, false)) : Reply.of(r.reply()));
        });
    }

    public Future<Reply> batchUpload(IsoMessage m) {
        BatchUpload.Request req = BatchUpload.Request.from(m);
        return TerminalCheck.check(ctx, req.tid(), req.mid()).compose(check -> {
            if (check.refused()) {
                return Future.succeededFuture(Reply.of(BatchUpload.response(m, ctx.time(), ctx.date(), check.refusal())));
            }
            Terminal t = check.terminal();
            if (req.batch() != t.batchNo()) {
                return Future.succeededFuture(Reply.of(BatchUpload.response(m, ctx.time(), ctx.date(), ResponseCode.BATCH_MISMATCH)));
            }
            if (!req.isEnd() && req.items() == null) {
                return Future.succeededFuture(Reply.of(BatchUpload.response(m, ctx.time(), ctx.date(), ResponseCode.FORMAT_ERROR)));
            }
            return posting.once(t.tid(), t.mid(), req.batch(), m, c -> {
                IsoMessage ok = BatchUpload.response(m, ctx.time(), ctx.date(), ResponseCode.APPROVED);
                Future<Void> done = req.isEnd()
                        ? journal.recordBatch(c, t.tid(), req.batch(), "settled", null, null, null)
                                .compose(v -> journal.advanceBatch(c, t.tid(), req.batch())).mapEmpty()
                        : journal.uploadItems(c, t.tid(), req.batch(), req.stan(), req.items().digits());
                return done.map(v -> new Decision(entry(req.isEnd() ? MessageKind.BATCH_UPLOAD_END : MessageKind.BATCH_UPLOAD,
                        ResponseCode.APPROVED), ok));
            }).map(r -> Reply.of(r.duplicateKey() ? BatchUpload.response(m, ctx.time(), ctx.date(), ResponseCode.DUPLICATE) : r.reply()));
        });
    }

    private Future<Reply> reply(Settlement.Request req, ResponseCode rc, int batch, SettlementTotals totals) {
        return Future.succeededFuture(Reply.of(new Settlement.Response(req.stan(), ctx.time(), ctx.date(), null, null, rc, req.tid(),
                req.mid(), Math.max(0, batch), totals, req.currency()).toMessage()));
    }

    private static JournalEntry entry(MessageKind kind, ResponseCode rc) {
        return new JournalEntry(0, null, null, 0, 0, 0, kind.name(), null, null, null, null, rc.code(), JournalEntry.ACKNOWLEDGED,
                null, 0, null, null, null);
    }
}
