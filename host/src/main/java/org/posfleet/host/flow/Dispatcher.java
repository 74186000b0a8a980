package org.posfleet.host.flow;

import io.vertx.core.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.posfleet.host.ledger.Journal;
import org.posfleet.host.session.SessionGate;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.ProtocolException;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;

/**
 * Routes a decoded request to its flow by {@link MessageKind}. One dispatcher per event loop. A message no
 * flow handles (parameter and IC downloads, status upload) gets 40; a request that decodes but cannot be read gets 30; a failure inside a flow
 * (the database is down, say) gets 96: the terminal always hears back.
 */
public final class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    /** What changes a terminal's session, TMK or batch: the gate's cached row of it is out of date afterwards. */
    private static final java.util.Set<MessageKind> CHANGE_GATE_STATE = java.util.EnumSet.of(MessageKind.SIGN_ON, MessageKind.SIGN_OFF,
            MessageKind.TMK_DOWNLOAD, MessageKind.TMK_CONFIRM, MessageKind.SETTLEMENT, MessageKind.BATCH_UPLOAD_END);

    private final HostContext ctx;
    private final SignOnFlow signOn;
    private final NetworkManagementFlow management;
    private final TmkDownloadFlow tmkDownload;
    private final SessionGate gate;
    private final CardTransactionFlow cardTransactions;
    private final ReversalFlow reversals;
    private final SettlementFlow settlement;
    private final SignatureFlow signatures;
    private final Journal journal;

    public Dispatcher(HostContext ctx, Journal journal, org.posfleet.host.ledger.CommitGroup group) {
        this.ctx = ctx;
        this.signOn = new SignOnFlow(ctx);
        this.management = new NetworkManagementFlow(ctx);
        this.tmkDownload = new TmkDownloadFlow(ctx);
        this.gate = new SessionGate(ctx);
        this.cardTransactions = new CardTransactionFlow(ctx, journal, group);
        this.reversals = new ReversalFlow(ctx, journal, group);
        this.settlement = new SettlementFlow(ctx, journal, group);
        this.signatures = new SignatureFlow(ctx, journal, group);
        this.journal = journal;
    }

    /** Writes the uses of working keys counted since the last call (see {@link SessionGate#flushUses}). */
    public Future<Void> flushKeyUses() {
        return gate.flushUses();
    }

    /** The reply to {@code m}, or a null future value when {@code m} is not a request (nothing to answer). */
    public Future<Reply> handle(IsoMessage m) {
        if (Replies.replyMti(m.mti()) < 0) {
            return Future.succeededFuture(null);
        }
        long started = System.nanoTime();
        MessageKind kind = MessageKind.classify(m); // once: routing and metrics both need it
        return answer(m, kind).onSuccess(r -> ctx.metrics().message(kind == null ? "UNKNOWN" : kind.name(),
                r == null || r.message().string(39) == null ? "none" : r.message().string(39), System.nanoTime() - started));
    }

    private Future<Reply> answer(IsoMessage m, MessageKind kind) {
        Future<Reply> reply;
        try {
            reply = route(m, kind);
        } catch (ProtocolException | IllegalArgumentException e) {
            LOG.info(() -> "unreadable " + m.mtiString() + ": " + e.getMessage() + " -> 30");
            return Future.succeededFuture(Reply.of(Replies.to(m, ResponseCode.FORMAT_ERROR, ctx, false)));
        }
        return reply.recover(err -> {
            // a database outage fails every request the same way: one line each, not a stack trace each
            boolean outage = err instanceof java.io.IOException || err instanceof io.vertx.core.VertxException
                    || err instanceof io.vertx.core.http.HttpClosedException;
            LOG.log(Level.WARNING, "failed handling " + m.mtiString() + " from TID " + m.string(41) + " -> 96" + (outage ? ": " + err : ""),
                    outage ? null : err);
            return Future.succeededFuture(Reply.of(Replies.to(m, ResponseCode.SYSTEM_MALFUNCTION, ctx, false)));
        });
    }

    private Future<Reply> route(IsoMessage m, MessageKind kind) {
        if (kind == null) {
            return notSupported(m);
        }
        if (CHANGE_GATE_STATE.contains(kind) && m.string(41) != null) {
            // this loop's cached gate row of the terminal is out of date after these: read it afresh next time
            String tid = m.string(41).strip();
            return routeUncached(m, kind).onComplete(x -> gate.forget(tid));
        }
        return routeUncached(m, kind);
    }

    private Future<Reply> routeUncached(IsoMessage m, MessageKind kind) {
        return switch (kind) {
            case SIGN_ON -> signOn.handle(m);
            case SIGN_OFF, ECHO_TEST -> management.handle(kind, m);
            case TMK_DOWNLOAD -> tmkDownload.download(m);
            case TMK_CONFIRM -> tmkDownload.confirm(m);
            case SETTLEMENT -> settlement.settle(m);
            case BATCH_UPLOAD, BATCH_UPLOAD_END -> settlement.batchUpload(m);
            case REVERSAL -> gated(m, true, a -> reversals.handle(m, a));
            case SIGNATURE_UPLOAD -> gated(m, true, a -> signatures.handle(m, a));
            default -> kind.financial() ? gated(m, true, a -> cardTransactions.handle(kind, m, a)) : notSupported(m);
        };
    }

    /**
     * MACed messages: the gate first (session, expiry, MAC), then the flow. An admission on the gate's cached row
     * that its posting finds out of date wrote nothing: the message goes through the gate again on a fresh read.
     */
    private Future<Reply> gated(IsoMessage m, boolean cached, java.util.function.Function<SessionGate.Admission, Future<Reply>> flow) {
        Future<Reply> first = gatedOnce(m, cached, flow);
        return !cached ? first : first.recover(err -> {
            if (!(err instanceof org.posfleet.host.ledger.Posting.GateChanged)) {
                return Future.failedFuture(err);
            }
            ctx.metrics().gateReread();
            gate.forget(m.string(41).strip());
            return gatedOnce(m, false, flow);
        });
    }

    private Future<Reply> gatedOnce(IsoMessage m, boolean cached, java.util.function.Function<SessionGate.Admission, Future<Reply>> flow) {
        return gate.admit(m, cached).compose(a -> {
            if (a.refusal() == null) {
                return flow.apply(a);
            }
            IsoMessage r = a.refusal().message();
            String tid = m.string(41) == null ? null : m.string(41).strip();
            String mid = m.string(42) == null ? null : m.string(42).strip();
            return journal.refused(tid, mid, m.mti(), m.has(11) ? (int) m.number(11) : null, r.string(39)).map(v -> a.refusal());
        });
    }

    private Future<Reply> notSupported(IsoMessage m) {
        return Future.succeededFuture(Reply.of(Replies.to(m, ResponseCode.FUNCTION_NOT_SUPPORTED, ctx, false)));
    }
}
