package org.posfleet.host.flow;

import io.vertx.core.Future;
import java.util.logging.Logger;
import org.posfleet.crypto.CryptoException;
import org.posfleet.crypto.WorkingKeys;
import org.posfleet.host.security.PasswordHasher;
import org.posfleet.host.security.SessionKeys;
import org.posfleet.host.security.WrappedKey;
import org.posfleet.host.store.Operator;
import org.posfleet.host.store.Terminal;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.SignOn;

/**
 * Sign-on (0800, 60.3 = 001/003/004/005). In order: the terminal is registered (97), of this merchant (03),
 * active (58) and signing on from its bound device (97); it has a TMK (A7, "key not loaded"); the TMK's
 * algorithm suits the requested key suite (40); the operator exists and the password verifies (55), the
 * operator is not locked (75, also after too many wrong passwords). Then fresh PIK/MAK/TDK under the TMK,
 * the session stored, and the terminal's batch number and the host's time in the reply.
 */
public final class SignOnFlow {

    private static final Logger LOG = Logger.getLogger(SignOnFlow.class.getName());

    private final HostContext ctx;

    public SignOnFlow(HostContext ctx) {
        this.ctx = ctx;
    }

    public Future<Reply> handle(IsoMessage m) {
        SignOn.Request req = SignOn.Request.from(m);
        return TerminalCheck.check(ctx, req.tid(), req.mid()).compose(check -> {
            if (check.refused()) {
                return refuse(req, check.refusal(), check.terminal(), "sign-on refused");
            }
            Terminal t = check.terminal();
            if (t.deviceSerial() == null || !t.deviceSerial().equals(req.deviceSerial())) {
                return refuse(req, ResponseCode.TERMINAL_NOT_REGISTERED, t, "sign-on from device " + req.deviceSerial()
                        + ", bound device is " + (t.deviceSerial() == null ? "none" : t.deviceSerial()));
            }
            return ctx.store().tmk(t.tid(), "active").compose(tmk -> {
                if (tmk == null) {
                    return refuse(req, ResponseCode.SECURITY_FAILURE, t, "sign-on without a TMK (key not loaded)");
                }
                if (WorkingKeys.suiteOf(req.keySuite()) != tmk.suite()) {
                    return refuse(req, ResponseCode.FUNCTION_NOT_SUPPORTED, t, "60.3 = " + req.keySuite() + " with a " + tmk.suite() + " TMK");
                }
                return ctx.store().operator(t.tid(), req.operator()).compose(op -> authenticate(req, t, tmk, op));
            });
        });
    }

    private Future<Reply> authenticate(SignOn.Request req, Terminal t, WrappedKey tmk, Operator op) {
        if (op == null) {
            return refuse(req, ResponseCode.WRONG_PIN, t, "unknown operator " + req.operator());
        }
        if (op.locked()) {
            return refuse(req, ResponseCode.PIN_TRIES_EXCEEDED, t, "operator " + req.operator() + " is locked");
        }
        if (req.passwordBlock() == null) {
            return refuse(req, ResponseCode.WRONG_PIN, t, "no password block from operator " + req.operator());
        }
        // password check and key generation together on a worker: PBKDF2 is slow by design
        return ctx.blocking(() -> {
            char[] password;
            try {
                password = ctx.securityModule().decryptCredential(tmk, req.passwordBlock());
            } catch (CryptoException e) {
                return null; // not a credential block under this TMK: a key problem, not a wrong password
            }
            try {
                if (!ctx.passwords().matches(password, op.passwordHash())) {
                    return new SessionKeys(null, null, null, null);
                }
            } finally {
                PasswordHasher.wipe(password);
            }
            return ctx.securityModule().issueWorkingKeys(tmk, req.keySuite());
        }).compose(keys -> {
            if (keys == null) {
                return refuse(req, ResponseCode.SECURITY_FAILURE, t, "password block does not decrypt under the TMK");
            }
            if (keys.field62() == null) {
                return ctx.store().passwordFailed(t.tid(), req.operator(), ctx.config().maxPasswordFailures())
                        .onSuccess(locked -> ctx.metrics().passwordFailure("operator", locked))
                        .compose(locked -> refuse(req, locked ? ResponseCode.PIN_TRIES_EXCEEDED : ResponseCode.WRONG_PIN, t,
                                "wrong password for operator " + req.operator() + (locked ? ", now locked" : "")));
            }
            return ctx.store().passwordAccepted(t.tid(), req.operator())
                    .compose(v -> ctx.store().startSession(t.tid(), req.keySuite(), req.operator(), keys))
                    .compose(s -> ctx.store().event(t.tid(), "signed on", "operator " + req.operator() + ", 60.3 = "
                            + String.format("%03d", req.keySuite()) + ", key version " + s.keyVersion()))
                    .map(v -> Reply.of(new SignOn.Response(req.stan(), ctx.time(), ctx.date(), ctx.config().acquirerId(), null,
                            ResponseCode.APPROVED, req.tid(), req.mid(), t.batchNo(), req.keySuite(), keys.field62()).toMessage()));
        });
    }

    private Future<Reply> refuse(SignOn.Request req, ResponseCode rc, Terminal t, String why) {
        LOG.info(() -> "TID " + req.tid() + ": " + why + " -> " + rc.code());
        Future<Void> logged = t == null ? Future.succeededFuture() : ctx.store().event(t.tid(), "sign-on refused", why + " (" + rc.code() + ")");
        int batch = t == null ? Math.max(0, req.batch()) : t.batchNo();
        return logged.map(v -> Reply.of(new SignOn.Response(req.stan(), ctx.time(), ctx.date(), null, null, rc,
                req.tid(), req.mid(), batch, Math.max(0, req.keySuite()), null).toMessage()));
    }
}
