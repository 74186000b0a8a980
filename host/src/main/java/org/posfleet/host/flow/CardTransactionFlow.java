package org.posfleet.host.flow;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import org.posfleet.crypto.CryptoException;
import org.posfleet.host.ledger.AmountRules;
import org.posfleet.host.ledger.Decision;
import org.posfleet.host.ledger.Journal;
import org.posfleet.host.ledger.JournalEntry;
import org.posfleet.host.ledger.Posting;
import org.posfleet.host.ledger.TestCard;
import org.posfleet.host.security.PinKey;
import org.posfleet.host.session.SessionGate;
import org.posfleet.host.store.Operator;
import org.posfleet.host.store.Session;
import org.posfleet.host.store.Terminal;
import org.posfleet.protocol.field.OriginalTransaction;
import org.posfleet.protocol.iso.Digits;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;

/**
 * The card transactions, authorized by the host itself (a stand-in issuer over a table of test cards):
 * balance enquiry, sale, refund, pre-authorization, completion, and the three voids. Every request is
 * journaled exactly once (see {@link Posting}) and answered only after its journal row commits.
 *
 * <p>Order of the rules: batch number (77); for voids the supervisor's void password first (55, 75, 99);
 * a reversal that came before its original (12); then per kind, below. Replies carry the host's RRN and
 * authorization code and are MACed with the session's MAK.
 */
public final class CardTransactionFlow {

    static final int MAX_PIN_TRIES = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HostContext ctx;
    private final Journal journal;
    private final Posting posting;

    public CardTransactionFlow(HostContext ctx, Journal journal, org.posfleet.host.ledger.CommitGroup group) {
        this.ctx = ctx;
        this.journal = journal;
        this.posting = new Posting(group);
    }

    public Future<Reply> handle(MessageKind kind, IsoMessage m, SessionGate.Admission a) {
        CardTransaction.Request req = CardTransaction.Request.from(m);
        Terminal t = a.terminal();
        if (req.batch() != t.batchNo()) {
            if (a.admitted() != null) { // a cached terminal may be a settlement behind: the gate reads it again
                return Future.failedFuture(new Posting.GateChanged());
            }
            return Future.succeededFuture(new Reply(response(req, ResponseCode.BATCH_MISMATCH, null, null, null), a.signer(),
                    org.posfleet.protocol.frame.Header.PR_SIGN_ON_AGAIN));
        }
        boolean charges = kind == MessageKind.SALE || kind == MessageKind.PREAUTH || kind == MessageKind.BALANCE_ENQUIRY;
        String pan = charges ? pan(req, a.session()) : null;
        if (!kind.isVoid()) {
            return post(kind, req, m, a, pan, null);
        }
        VoidPassword password = VoidPassword.of(req, a.pins());
        return postVoid(kind, req, m, a, password, 1).onComplete(ar -> password.wipe());
    }

    /**
     * A void: its password is checked in its posting, against the supervisor's row read there. When only PBKDF2 can
     * decide it (a password this host has not verified against that hash), the posting defers, PBKDF2 runs on a
     * worker and the void posts again. Only the supervisor's hash changing in between makes it defer again; a third
     * deferral fails the void.
     */
    private Future<Reply> postVoid(MessageKind kind, CardTransaction.Request req, IsoMessage m, SessionGate.Admission a,
                                   VoidPassword password, int attempt) {
        return post(kind, req, m, a, null, password).recover(e -> {
            if (!(e instanceof Posting.Deferred) || attempt > 2) {
                return Future.failedFuture(e);
            }
            return ctx.blocking(() -> {
                password.verify(ctx.passwords());
                return null;
            }).compose(v -> postVoid(kind, req, m, a, password, attempt + 1));
        });
    }

    private Future<Reply> post(MessageKind kind, CardTransaction.Request req, IsoMessage m, SessionGate.Admission a, String pan,
                               VoidPassword password) {
        Terminal t = a.terminal();
        return posting.once(t.tid(), t.mid(), req.batch(), m, a.admitted(), pan, originalKey(kind, req),
                        password == null ? null : password.operatorNo(), (c, o) -> {
                    Reads r = new Reads(o.reversedFirst(), pan, o.card(), o.rrn(), o.original());
                    return password == null ? decide(c, kind, req, a, r)
                            : supervisor(c, t, password, o.operator(), req, r, () -> decide(c, kind, req, a, r));
                })
                .map(r -> {
                    if (r.duplicateKey()) {
                        return new Reply(response(req, ResponseCode.DUPLICATE, null, null, null), a.signer(), 0);
                    }
                    return r.reply() == null ? null : new Reply(r.reply(), a.signer(), 0);
                });
    }

    /**
     * What every decision reads, in the statement that checks for a duplicate (Journal.openAll): whether a reversal
     * came first, the card (under its lock) for the kinds that charge one, the RRN, and the original named by 61.
     */
    private record Reads(boolean reversedFirst, String pan, TestCard card, String rrn, JournalEntry original) {
    }

    /** Batch, STAN and message class of the original a void, completion or refund names in 61 (null: none). */
    private static int[] originalKey(MessageKind kind, CardTransaction.Request req) {
        OriginalTransaction o = req.original();
        if (o == null) {
            return null;
        }
        MessageKind target = switch (kind) {
            case SALE_VOID, REFUND -> MessageKind.SALE;
            case PREAUTH_VOID, COMPLETION -> MessageKind.PREAUTH;
            case COMPLETION_VOID -> MessageKind.COMPLETION;
            default -> null;
        };
        return target == null ? null : new int[] {o.batch(), o.stan(), target.requestMti() / 100};
    }

    private Future<Decision> decide(SqlConnection c, MessageKind kind, CardTransaction.Request req, SessionGate.Admission a, Reads r) {
        Terminal t = a.terminal();
        if (r.reversedFirst()) {
            return decline(r, req, ResponseCode.INVALID_TRANSACTION, req.pan());
        }
        return switch (kind) {
            case SALE, PREAUTH, BALANCE_ENQUIRY -> authorize(c, kind, req, a.pins(), r);
            case REFUND -> refund(c, req, t, r);
            case COMPLETION -> completion(c, req, t, r);
            default -> voidOf(c, kind, req, t, r);
        };
    }

    /** Sale, pre-authorization and balance enquiry: card, PIN, forced answers, funds. */
    private Future<Decision> authorize(SqlConnection c, MessageKind kind, CardTransaction.Request req, PinKey pins, Reads r) {
        String pan = r.pan();
        if (pan == null) {
            return decline(r, req, ResponseCode.INVALID_CARD, null);
        }
        TestCard card = r.card();
        ResponseCode cardRefusal = checkCard(card, req);
        if (cardRefusal != null) {
            return decline(r, req, cardRefusal, pan);
        }
        return checkPin(c, card, req, pins, pan).compose(pinRefusal -> {
            if (pinRefusal != null) {
                return decline(r, req, pinRefusal, pan);
            }
            if (kind == MessageKind.BALANCE_ENQUIRY) {
                String balance = Digits.append(new StringBuilder(20).append("1002156C"), card.balance(), 12).toString();
                return approve(r, req, pan, 0, JournalEntry.ACKNOWLEDGED, null, null, balance);
            }
            ResponseCode forced = AmountRules.forced(req.amount());
            if (forced == AmountRules.NO_REPLY) {
                return Future.succeededFuture(new Decision(entry(req, pan, r.rrn(), null, forced, JournalEntry.DECLINED, null, 0, null), null));
            }
            if (forced != null) {
                return decline(r, req, forced, pan);
            }
            if (req.amount() <= 0) {
                return decline(r, req, ResponseCode.INVALID_AMOUNT, pan);
            }
            if (req.amount() > card.balance()) {
                return decline(r, req, ResponseCode.INSUFFICIENT_FUNDS, pan);
            }
            // the journal row charges the card as it is written (Journal.insert)
            return approve(r, req, pan, -req.amount(), JournalEntry.POSTED, null, null, null);
        });
    }

    /** Refund of a sale or completion, found by RRN (37) or by 61; at most what is left unrefunded. */
    private Future<Decision> refund(SqlConnection c, CardTransaction.Request req, Terminal t, Reads r) {
        OriginalTransaction o = req.original();
        Future<JournalEntry> found = req.originalRrn() != null ? journal.findByRrn(c, t.tid(), req.originalRrn())
                : Future.succeededFuture(o == null ? null : r.original());
        return found.compose(orig -> {
            if (orig == null || !(orig.kind().equals("SALE") || orig.kind().equals("COMPLETION"))) {
                return decline(r, req, ResponseCode.ORIGINAL_NOT_FOUND, req.pan());
            }
            if (!orig.status().equals(JournalEntry.POSTED)) {
                return decline(r, req, ResponseCode.INVALID_TRANSACTION, orig.pan());
            }
            return journal.refunded(c, orig.id()).compose(already -> {
                if (req.amount() <= 0 || req.amount() > orig.amountOrZero() - already) {
                    return decline(r, req, ResponseCode.INVALID_AMOUNT, orig.pan());
                }
                return approve(r, req, orig.pan(), req.amount(), JournalEntry.POSTED, orig.id(), null, null);
            });
        });
    }

    /** Completion of a pre-authorization (61): the hold is released and the completion amount charged. */
    private Future<Decision> completion(SqlConnection c, CardTransaction.Request req, Terminal t, Reads r) {
        OriginalTransaction o = req.original();
        if (o == null) {
            return decline(r, req, ResponseCode.ORIGINAL_NOT_FOUND, req.pan());
        }
        JournalEntry orig = r.original();
        if (orig == null || !orig.kind().equals("PREAUTH")) {
            return decline(r, req, ResponseCode.ORIGINAL_NOT_FOUND, req.pan());
        }
        if (!orig.status().equals(JournalEntry.POSTED)) {
            return decline(r, req, ResponseCode.INVALID_TRANSACTION, orig.pan());
        }
        if (req.amount() <= 0 || req.amount() > orig.amountOrZero()) {
            return decline(r, req, ResponseCode.INVALID_AMOUNT, orig.pan());
        }
        long delta = orig.amountOrZero() - req.amount();
        return approve(r, req, orig.pan(), delta, JournalEntry.POSTED, orig.id(), JournalEntry.POSTED, null)
                .map(d -> d.changing(java.util.List.of(new Journal.StatusChange(orig.id(), JournalEntry.COMPLETED))));
    }

    /**
     * Sale, pre-authorization and completion voids: the original found by 61 and matching 37/38 (25), of this
     * terminal, in the open batch (12: after settlement a refund is needed), for the same amount (64), not
     * already voided, reversed or completed (12). The supervisor's password was checked before.
     */
    private Future<Decision> voidOf(SqlConnection c, MessageKind kind, CardTransaction.Request req, Terminal t, Reads r) {
        OriginalTransaction o = req.original();
        MessageKind target = kind == MessageKind.SALE_VOID ? MessageKind.SALE
                : kind == MessageKind.PREAUTH_VOID ? MessageKind.PREAUTH : MessageKind.COMPLETION;
        if (o == null) {
            return decline(r, req, ResponseCode.ORIGINAL_NOT_FOUND, req.pan());
        }
        JournalEntry orig = r.original();
        if (orig == null || !orig.kind().equals(target.name())
                || (req.originalRrn() != null && !req.originalRrn().equals(orig.rrn()))
                || (req.originalAuthCode() != null && !req.originalAuthCode().equals(orig.authCode()))) {
            return decline(r, req, ResponseCode.ORIGINAL_NOT_FOUND, req.pan());
        }
        if (orig.batchNo() != t.batchNo() || !orig.status().equals(JournalEntry.POSTED)) {
            return decline(r, req, ResponseCode.INVALID_TRANSACTION, orig.pan());
        }
        if (req.amount() != orig.amountOrZero()) {
            return decline(r, req, ResponseCode.AMOUNT_DIFFERS, orig.pan());
        }
        // a void undoes its original: a voided completion puts its pre-authorization's hold back
        return approve(r, req, orig.pan(), -orig.balanceDelta(), JournalEntry.POSTED, orig.id(), JournalEntry.POSTED, null)
                .map(d -> d.changing(Journal.undo(orig, JournalEntry.VOIDED)));
    }

    /**
     * The supervisor's void password, checked before anything else of the void: 63 carries the supervisor's number
     * and the credential block under the PIK. Unknown or not a supervisor: 55; locked: 75; block not decryptable as a
     * credential: 99; wrong: 55, locking after the configured number of failures (75). Failures are counted, and
     * reset by a right password, in the void's own transaction. {@code then} decides a void whose password is right.
     */
    private Future<Decision> supervisor(SqlConnection c, Terminal t, VoidPassword password, Operator op, CardTransaction.Request req,
                                        Reads r, java.util.function.Supplier<Future<Decision>> then) {
        return switch (password.check(op, ctx.passwords())) {
            case NO_SUPERVISOR -> decline(r, req, ResponseCode.WRONG_PIN, req.pan());
            case LOCKED -> decline(r, req, ResponseCode.PIN_TRIES_EXCEEDED, req.pan());
            case MALFORMED -> decline(r, req, ResponseCode.PIN_FORMAT_ERROR, req.pan());
            case UNKNOWN -> Future.succeededFuture(Decision.DEFERRED);
            // failures are counted from the last accepted password: reset only when there are some
            case MATCH -> op.failedAttempts() == 0 ? then.get()
                    : then.get().map(d -> d.after(ctx.store().passwordAccepted(c, t.tid(), op.operatorNo())));
            case MISMATCH -> ctx.store().passwordFailed(c, t.tid(), op.operatorNo(), ctx.config().maxPasswordFailures())
                    .onSuccess(locked -> ctx.metrics().passwordFailure("supervisor", locked))
                    .compose(locked -> decline(r, req, locked ? ResponseCode.PIN_TRIES_EXCEEDED : ResponseCode.WRONG_PIN, req.pan()));
        };
    }

    /** The PAN from field 2, else from track 2 (decrypted with the TDK when 53.3 = 1). */
    private String pan(CardTransaction.Request req, Session s) {
        if (req.pan() != null) {
            return req.pan();
        }
        String track = req.track2();
        if (track == null) {
            return null;
        }
        if (req.securityControl() != null && req.securityControl().tracksEncrypted()) {
            if (s.tdk() == null) {
                return null;
            }
            try {
                track = ctx.securityModule().decryptTrack(s.tdk(), track);
            } catch (CryptoException e) {
                return null;
            }
        }
        int sep = track.indexOf('D');
        String pan = sep < 0 ? null : track.substring(0, sep);
        return pan != null && pan.matches("\\d{13,19}") ? pan : null;
    }

    private ResponseCode checkCard(TestCard card, CardTransaction.Request req) {
        if (card == null) {
            return ResponseCode.INVALID_CARD;
        }
        switch (card.status()) {
            case "lost":
                return ResponseCode.LOST_CARD;
            case "stolen":
                return ResponseCode.STOLEN_CARD;
            case "expired":
                return ResponseCode.EXPIRED_CARD;
            default:
                break;
        }
        YearMonth now = YearMonth.from(ZonedDateTime.now(ctx.clock()));
        YearMonth expiry = YearMonth.of(2000 + Integer.parseInt(card.expiry().substring(0, 2)), Integer.parseInt(card.expiry().substring(2)));
        if (expiry.isBefore(now) || (req.expiry() != null && !req.expiry().equals(card.expiry()))) {
            return ResponseCode.EXPIRED_CARD;
        }
        return null;
    }

    /** PIN check when a PIN block came: 99 malformed, 75 tries exhausted, 55 wrong (counted). */
    private Future<ResponseCode> checkPin(SqlConnection c, TestCard card, CardTransaction.Request req, PinKey pins, String pan) {
        if (req.pinBlock() == null) {
            return Future.succeededFuture(req.entryMode().pinEntered() ? ResponseCode.PIN_FORMAT_ERROR : null);
        }
        if (card.pinTries() >= MAX_PIN_TRIES) {
            return Future.succeededFuture(ResponseCode.PIN_TRIES_EXCEEDED);
        }
        String pvv;
        try {
            pvv = pins.verifyPinBlock(req.pinBlock(), pan);
        } catch (CryptoException e) {
            return Future.succeededFuture(ResponseCode.PIN_FORMAT_ERROR);
        }
        if (java.security.MessageDigest.isEqual(pvv.getBytes(), card.pvv().getBytes())) {
            return card.pinTries() == 0 ? Future.succeededFuture(null)
                    : journal.setPinTries(c, card.pan(), 0).map(v -> null);
        }
        int tries = card.pinTries() + 1;
        return journal.setPinTries(c, card.pan(), tries)
                .map(v -> tries >= MAX_PIN_TRIES ? ResponseCode.PIN_TRIES_EXCEEDED : ResponseCode.WRONG_PIN);
    }

    private Future<Decision> approve(Reads r, CardTransaction.Request req, String pan, long delta, String status,
                                     Long originalId, String prevStatus, String balance) {
        String auth = Digits.padded(RANDOM.nextInt(1_000_000), 6);
        return Future.succeededFuture(new Decision(entry(req, pan, r.rrn(), auth, ResponseCode.APPROVED, status, originalId, delta, prevStatus),
                response(req, ResponseCode.APPROVED, r.rrn(), auth, balance)));
    }

    private Future<Decision> decline(Reads r, CardTransaction.Request req, ResponseCode rc, String pan) {
        return Future.succeededFuture(new Decision(entry(req, pan, r.rrn(), null, rc, JournalEntry.DECLINED, null, 0, null),
                response(req, rc, r.rrn(), null, null)));
    }

    private static JournalEntry entry(CardTransaction.Request req, String pan, String rrn, String auth, ResponseCode rc, String status,
                                      Long originalId, long delta, String prevStatus) {
        return new JournalEntry(0, null, null, 0, 0, 0, req.kind().name(), pan, req.amount() < 0 ? null : req.amount(), rrn, auth,
                rc.code(), status, originalId, delta, prevStatus, null, null);
    }

    private IsoMessage response(CardTransaction.Request req, ResponseCode rc, String rrn, String auth, String balance) {
        return new CardTransaction.Response(req.kind(), req.pan(), req.amount(), req.stan(), ctx.time(), ctx.date(), null,
                rc == ResponseCode.APPROVED ? ctx.date() : null, ctx.config().acquirerId(), rrn, auth, rc, req.tid(), req.mid(),
                req.currency(), balance, req.field60()).toMessage(true);
    }
}
