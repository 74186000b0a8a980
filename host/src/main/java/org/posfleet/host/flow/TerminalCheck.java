package org.posfleet.host.flow;

import io.vertx.core.Future;
import org.posfleet.host.store.Terminal;
import org.posfleet.protocol.message.ResponseCode;

/**
 * The first rule of every message: the TID is registered (97), belongs to the MID the terminal sends and that
 * merchant is not disabled (03), and the terminal is active (58).
 */
public final class TerminalCheck {

    /** The terminal, or the response code that refuses the message. */
    public record Result(Terminal terminal, ResponseCode refusal) {
        public boolean refused() {
            return refusal != null;
        }
    }

    private TerminalCheck() {
    }

    public static Future<Result> check(HostContext ctx, String tid, String mid) {
        if (tid == null || mid == null) {
            return Future.succeededFuture(new Result(null, ResponseCode.TERMINAL_NOT_REGISTERED));
        }
        return ctx.store().terminal(tid.strip()).map(t -> of(t, mid));
    }

    /** The rule applied to a terminal already read (null: unknown). */
    public static Result of(Terminal t, String mid) {
        if (t == null || mid == null) {
            return new Result(t, ResponseCode.TERMINAL_NOT_REGISTERED);
        }
        if (!t.mid().equals(mid.strip()) || !t.merchantActive()) {
            return new Result(t, ResponseCode.INVALID_MERCHANT);
        }
        if (!t.active()) {
            return new Result(t, ResponseCode.NOT_PERMITTED_ON_TERMINAL);
        }
        return new Result(t, null);
    }
}
