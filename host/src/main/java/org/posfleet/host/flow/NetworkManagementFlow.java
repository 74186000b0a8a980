package org.posfleet.host.flow;

import io.vertx.core.Future;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.NetworkManagement;
import org.posfleet.protocol.message.ResponseCode;

/**
 * Echo test (0820/301): answered 00 for a registered terminal. Sign-off (0820/002): the session's working
 * keys are discarded; the terminal must sign on before it transacts again.
 */
public final class NetworkManagementFlow {

    private final HostContext ctx;

    public NetworkManagementFlow(HostContext ctx) {
        this.ctx = ctx;
    }

    public Future<Reply> handle(MessageKind kind, IsoMessage m) {
        NetworkManagement.Request req = NetworkManagement.Request.from(m);
        return TerminalCheck.check(ctx, req.tid(), req.mid()).compose(check -> {
            if (check.refused()) {
                return reply(req, check.refusal(), req.batch());
            }
            int batch = check.terminal().batchNo();
            if (kind == MessageKind.SIGN_OFF) {
                return ctx.store().endSession(req.tid())
                        .compose(v -> ctx.store().event(req.tid(), "signed off", ""))
                        .compose(v -> reply(req, ResponseCode.APPROVED, batch));
            }
            return reply(req, ResponseCode.APPROVED, batch);
        });
    }

    private Future<Reply> reply(NetworkManagement.Request req, ResponseCode rc, int batch) {
        return Future.succeededFuture(Reply.of(new NetworkManagement.Response(req.kind(), req.stan(), ctx.time(), ctx.date(), rc,
                req.tid(), req.mid(), Math.max(0, batch), null).toMessage()));
    }
}
