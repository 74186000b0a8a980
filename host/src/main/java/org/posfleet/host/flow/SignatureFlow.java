package org.posfleet.host.flow;

import io.vertx.core.Future;
import org.posfleet.host.ledger.Decision;
import org.posfleet.host.ledger.Journal;
import org.posfleet.host.ledger.JournalEntry;
import org.posfleet.host.ledger.Posting;
import org.posfleet.host.session.SessionGate;
import org.posfleet.host.store.Terminal;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.SignatureUpload;
import org.posfleet.protocol.signature.Jbig;

/**
 * E-signature upload (0820, 60.1 = 07): the image (62) and slip data (55) are stored against the terminal's
 * transaction with the RRN in 37 (25 when there is none, 30 without an image or with one that is not a JBIG image
 * a signature could be: certification is where a terminal's broken encoder should show). A later upload for the same
 * transaction (re-signing) becomes the current signature; earlier ones stay as history. The same upload
 * repeated gets its stored reply; another message reusing its STAN gets 94, which the terminal also takes
 * as accepted.
 */
public final class SignatureFlow {

    private final HostContext ctx;
    private final Journal journal;
    private final Posting posting;

    public SignatureFlow(HostContext ctx, Journal journal, org.posfleet.host.ledger.CommitGroup group) {
        this.ctx = ctx;
        this.journal = journal;
        this.posting = new Posting(group);
    }

    /** A signature pad is a few hundred dots square; this bounds the work a hostile header can ask for. */
    static final long MAX_SIGNATURE_PIXELS = 1024L * 1024;

    public Future<Reply> handle(IsoMessage m, SessionGate.Admission a) {
        SignatureUpload.Request req = SignatureUpload.Request.from(m);
        Terminal t = a.terminal();
        // Decoding is CPU work of up to a few milliseconds: on a worker, not the event loop.
        Future<Boolean> decodable = req.image() == null ? Future.succeededFuture(false) : ctx.blocking(() -> {
            try {
                Jbig.decode(req.image(), MAX_SIGNATURE_PIXELS);
                return true;
            } catch (Jbig.JbigException e) {
                return false;
            }
        });
        return decodable.compose(ok -> posting.once(t.tid(), t.mid(), req.batch(), m, a.admitted(), null, null, null, (c, opening) -> {
            if (!ok || req.originalRrn() == null) {
                return Future.succeededFuture(decision(m, req, ResponseCode.FORMAT_ERROR, null));
            }
            return journal.findByRrn(c, t.tid(), req.originalRrn()).compose(orig -> orig == null
                    ? Future.succeededFuture(decision(m, req, ResponseCode.ORIGINAL_NOT_FOUND, null))
                    : journal.storeSignature(c, orig.id(), req.image(), req.slipData())
                            .map(v -> decision(m, req, ResponseCode.APPROVED, orig.id())));
        })).map(r -> new Reply(r.duplicateKey() ? SignatureUpload.response(m, ctx.time(), ctx.date(), ResponseCode.DUPLICATE)
                : r.reply(), a.signer(), 0));
    }

    private Decision decision(IsoMessage m, SignatureUpload.Request req, ResponseCode rc, Long originalId) {
        return new Decision(new JournalEntry(0, null, null, 0, 0, 0, MessageKind.SIGNATURE_UPLOAD.name(), null, null, req.originalRrn(),
                null, rc.code(), rc == ResponseCode.APPROVED ? JournalEntry.ACKNOWLEDGED : JournalEntry.DECLINED, originalId, 0, null,
                null, null), SignatureUpload.response(m, ctx.time(), ctx.date(), rc));
    }
}
