package org.posfleet.fleet.terminal;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.PinBlock;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.crypto.WorkingKeys;
import org.posfleet.fleet.load.Fault;
import org.posfleet.fleet.load.Scenario;
import org.posfleet.fleet.metrics.FleetMetrics;
import org.posfleet.protocol.field.OriginalTransaction;
import org.posfleet.protocol.field.SecurityControl;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.frame.Tpdu;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.ProtocolException;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.NetworkCode;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.Reversal;
import org.posfleet.protocol.message.SignOn;
import org.posfleet.protocol.message.SignatureUpload;

/**
 * One virtual terminal: a protocol state machine on an event loop, never blocking. It keeps its own STAN,
 * batch and keys; signs on and unwraps its working keys (checking their check values); sends one request at a
 * time on its persistent connection (its own, or a {@link HostLink} it shares with other terminals); verifies
 * every reply (MTI, STAN echo, response code, MAC); reverses a request left unanswered before its next
 * transaction; signs on again when told to (A0, 22, 77, processing requirement 3). Not thread-safe: it lives on
 * its event loop.
 */
public final class VirtualTerminal {

    /** Where the terminal stands. */
    public enum State { DISCONNECTED, CONNECTING, SIGNING_ON, READY, BUSY }

    /** Static identity and secrets. */
    public record Identity(String tid, String mid, String serial, byte[] tmk, String pan, String pin, String operatorPassword,
                           String voidPassword) {
    }

    /** An open-loop arrival: what to do, and when the schedule meant it to start. */
    public record Arrival(Scenario scenario, long intendedNanos) {
    }

    /** A request in flight; {@code expected} names an outcome a fault makes normal (sign on again, a closed connection). */
    private record Pending(String type, IsoMessage request, long intendedNanos, long sentNanos, long timer,
                           Consumer<IsoMessage> onReply, Fault expected) {
    }

    private static final SecurityControl PIN_CONTROL = new SecurityControl(2, SecurityControl.ALGORITHM_DOUBLE_DES, 0);

    private final Vertx vertx;
    private final Identity id;
    private final FleetMetrics metrics;
    private final long timeoutMillis;
    private final Consumer<VirtualTerminal> onReady;
    /** Its connection: its own, or one it shares with other terminals. */
    private final HostLink link;
    /** Its requests' TPDU: on a shared link the source is this terminal's address there. */
    private final Tpdu tpdu;
    private State state = State.DISCONNECTED;
    private WorkingKeys.Clear keys;
    /** The session's PIK as a keyed engine: PIN blocks and the supervisor's password without a key schedule each. */
    private PinBlock.Encryptor pins;
    private PosEcbMac mac;
    private int stan;
    private int batch = 1;
    private Pending pending;
    private IsoMessage reversalDue;
    private CardTransaction.Request lastSale;
    private IsoMessage lastSaleReply;
    private long amountCounter;
    /** What this terminal has posted in its batch: debit amount and count, for settlement. */
    private long debitAmount;
    private int debitCount;
    private long creditAmount;
    private int creditCount;

    private final Fault.Plan faults;
    private final boolean perTransaction;
    /** Against a bare echo server: no sign-on, replies are the requests themselves (see FleetConfig.echo). */
    private final boolean echo;
    private final SplittableRandom faultRandom;
    /** A fault closed the connection on purpose: the close is no mismatch. */
    private Fault closing;
    private boolean stopping;
    /** What to do when the transaction in flight has ended (its reply, its timeout), instead of asking for more work. */
    private Runnable whenReady;

    public VirtualTerminal(Vertx vertx, NetClient client, String host, int port, Identity id, FleetMetrics metrics, long timeoutMillis,
                           Consumer<VirtualTerminal> onReady, Fault.Plan faults, long seed, boolean perTransaction, boolean echo) {
        this(vertx, client, host, port, id, metrics, timeoutMillis, onReady, faults, seed, perTransaction, echo, null);
    }

    /**
     * A terminal on a link it shares with others ({@code link} not null; null: a connection of its own): a connection
     * per transaction and the faults on a connection do not apply there.
     */
    public VirtualTerminal(Vertx vertx, NetClient client, String host, int port, Identity id, FleetMetrics metrics, long timeoutMillis,
                           Consumer<VirtualTerminal> onReady, Fault.Plan faults, long seed, boolean perTransaction, boolean echo,
                           HostLink link) {
        if (link != null && (perTransaction || faults.percent().keySet().stream().anyMatch(Fault::actsOnConnection))) {
            throw new IllegalArgumentException("a terminal on a shared link has no connection of its own to fault or to close");
        }
        boolean shared = link != null;
        this.link = shared ? link : new HostLink(client, host, port, metrics, echo);
        int address = this.link.admit(this);
        this.tpdu = shared ? Tpdu.of(HostLink.HOST_NII, address) : BlockingTerminal.TPDU;
        this.echo = echo;
        this.faults = faults;
        this.perTransaction = perTransaction;
        this.faultRandom = new SplittableRandom(seed ^ id.tid().hashCode());
        this.vertx = vertx;
        this.id = id;
        this.metrics = metrics;
        this.timeoutMillis = timeoutMillis;
        this.onReady = onReady;
        // terminals keep their STAN across power cycles; a simulator restarted within a batch must not reuse STANs
        this.stan = (int) ((System.currentTimeMillis() / 1000) % 99_000) * 10;
    }

    public State state() {
        return state;
    }

    public String tid() {
        return id.tid();
    }

    /** Connects and signs on; {@code onReady} hears when the terminal can take an arrival. */
    public void start() {
        if (state != State.DISCONNECTED) {
            return;
        }
        state = State.CONNECTING;
        connect(() -> {
            if (echo) {
                echoKeys();
            } else {
                signOn(System.nanoTime());
            }
        }, () -> {
            state = State.DISCONNECTED;
            vertx.setTimer(1000, t -> start());
        });
    }

    private boolean connected() {
        return link.connected();
    }

    private void connect(Runnable then, Runnable failed) {
        link.attach(then, failed);
    }

    /** Takes one arrival; the terminal must be READY. A due reversal goes first. */
    public void execute(Arrival a) {
        state = State.BUSY;
        if (!connected()) {
            // one connection per transaction: connect for this one
            connect(() -> executeConnected(a), () -> vertx.setTimer(100, t -> ready()));
            return;
        }
        executeConnected(a);
    }

    private void executeConnected(Arrival a) {
        if (reversalDue != null) {
            IsoMessage reversal = reversalDue;
            send("REVERSAL", reversal, a.intendedNanos(), r -> {
                if (expectApproved("REVERSAL", r)) {
                    reversalDue = null;
                }
                doScenario(a);
            });
            return;
        }
        doScenario(a);
    }

    private void doScenario(Arrival a) {
        if (state == State.DISCONNECTED) {
            return;
        }
        Fault fault = faults.draw(faultRandom);
        if (fault != null) {
            faulty(fault, a);
            return;
        }
        Scenario s = a.scenario();
        if ((s == Scenario.VOID || s == Scenario.SIGNATURE || s == Scenario.REFUND) && lastSale == null) {
            s = Scenario.SALE;
        }
        switch (s) {
            case SALE -> {
                CardTransaction.Request sale = request(MessageKind.SALE, nextAmount()).withPin(pinBlock(), PIN_CONTROL);
                send("SALE", sale.toMessage(), a.intendedNanos(), r -> {
                    approved(sale, r);
                    ready();
                });
            }
            case BALANCE -> send("BALANCE", request(MessageKind.BALANCE_ENQUIRY, -1).withPin(pinBlock(), PIN_CONTROL).toMessage(),
                    a.intendedNanos(), r -> {
                        expectApproved("BALANCE", r);
                        ready();
                    });
            case VOID -> {
                CardTransaction.Request v = request(MessageKind.SALE_VOID, lastSale.amount())
                        .withOriginal(lastSaleReply.string(37), lastSaleReply.string(38), OriginalTransaction.of(lastSale.batch(), lastSale.stan()))
                        .withSupervisor(0, pins.encrypt(PinBlock.credential(id.voidPassword())));
                long voided = lastSale.amount();
                lastSale = null;
                send("VOID", v.toMessage(), a.intendedNanos(), r -> {
                    if (expectApproved("VOID", r)) {
                        debitAmount -= voided;
                        debitCount--;
                    }
                    ready();
                });
            }
            case REFUND -> {
                long amount = lastSale.amount() / 2;
                CardTransaction.Request refund = request(MessageKind.REFUND, amount).withOriginal(lastSaleReply.string(37), null,
                        new OriginalTransaction(lastSale.batch(), lastSale.stan(), 0, ""));
                lastSale = null; // at most one refund per sale here: what is left unrefunded is not tracked
                send("REFUND", refund.toMessage(), a.intendedNanos(), r -> {
                    if (expectApproved("REFUND", r)) {
                        creditAmount += amount;
                        creditCount++;
                    }
                    ready();
                });
            }
            case PREAUTH, PREAUTH_VOID -> {
                long amount = nextAmount() * 10;
                CardTransaction.Request preauth = request(MessageKind.PREAUTH, amount).withPin(pinBlock(), PIN_CONTROL);
                send("PREAUTH", preauth.toMessage(), a.intendedNanos(), r -> {
                    if (!expectApproved("PREAUTH", r)) {
                        ready();
                        return;
                    }
                    OriginalTransaction original = new OriginalTransaction(preauth.batch(), preauth.stan(), 0, "");
                    if (a.scenario() == Scenario.PREAUTH) {
                        long completed = amount * 9 / 10;
                        CardTransaction.Request completion = request(MessageKind.COMPLETION, completed).withOriginal(null, r.string(38), original);
                        send("COMPLETION", completion.toMessage(), System.nanoTime(), c -> {
                            if (expectApproved("COMPLETION", c)) {
                                debitAmount += completed;
                                debitCount++;
                            }
                            ready();
                        });
                    } else {
                        CardTransaction.Request pv = request(MessageKind.PREAUTH_VOID, amount)
                                .withOriginal(r.string(37), r.string(38), OriginalTransaction.of(preauth.batch(), preauth.stan()))
                                .withSupervisor(0, pins.encrypt(PinBlock.credential(id.voidPassword())));
                        send("PREAUTH_VOID", pv.toMessage(), System.nanoTime(), v -> {
                            expectApproved("PREAUTH_VOID", v);
                            ready();
                        });
                    }
                });
            }
            case SETTLE -> {
                state = State.READY; // settle() starts from a ready terminal
                settle(() -> {
                    // the next batch's number comes with the next sign-on
                    state = State.BUSY;
                    if (!connected()) {
                        connect(() -> signOn(System.nanoTime()), () -> vertx.setTimer(100, t -> ready()));
                    } else {
                        signOn(System.nanoTime());
                    }
                });
            }
            case SIGNATURE -> {
                IsoMessage upload = new SignatureUpload.Request(nextStan(), id.tid(), id.mid(), batch, lastSale.pan(), lastSale.amount(),
                        lastSaleReply.string(37), null, SignaturePad.signature(stan)).toMessage();
                send("SIGNATURE", upload, a.intendedNanos(), r -> {
                    String rc = r.string(39);
                    if (!"00".equals(rc) && !"94".equals(rc)) {
                        metrics.mismatch("SIGNATURE rc " + rc);
                    }
                    ready();
                });
            }
        }
    }

    /**
     * Settles the batch with this terminal's own totals; a host that disagrees is a mismatch. The batch then
     * closes and the next sign-on gives the next one. {@code done} hears when the reply came (or did not).
     */
    public void settle(Runnable done) {
        if (state != State.READY && keys != null && !stopping) {
            // signed on, but a reply (or a reconnection) still on its way when the run ends: settle once it is done
            // (its reply or its timeout), as a terminal would, so that the host's batch is the one this terminal counts
            // and the next run does not start on a batch left open. The run's settlement deadline bounds the wait.
            whenReady = () -> settle(done);
            return;
        }
        if (state != State.READY) {
            done.run();
            return;
        }
        state = State.BUSY;
        if (!connected()) {
            connect(() -> {
                state = State.READY;
                settle(done);
            }, done);
            return;
        }
        if (reversalDue != null) {
            // a terminal reverses what is outstanding before it settles
            IsoMessage reversal = reversalDue;
            send("REVERSAL", reversal, System.nanoTime(), r -> {
                if (expectApproved("REVERSAL", r)) {
                    reversalDue = null;
                }
                state = State.READY;
                settle(done);
            });
            return;
        }
        org.posfleet.protocol.field.SettlementTotals totals = new org.posfleet.protocol.field.SettlementTotals(
                new org.posfleet.protocol.field.SettlementTotals.Totals(debitAmount, debitCount, creditAmount, creditCount, 0),
                org.posfleet.protocol.field.SettlementTotals.Totals.ZERO);
        IsoMessage m = new org.posfleet.protocol.message.Settlement.Request(nextStan(), id.tid(), id.mid(), batch, 1, totals, "156").toMessage();
        send("SETTLEMENT", m, System.nanoTime(), r -> {
            var resp = org.posfleet.protocol.message.Settlement.Response.from(r);
            if (!"00".equals(r.string(39))) {
                metrics.mismatch("SETTLEMENT rc " + r.string(39));
            } else if (!resp.balanced()) {
                // the host counts something this terminal does not (an earlier run's postings, say): as a terminal
                // does, end a batch upload so the batch closes, and report the disagreement
                metrics.mismatch("SETTLEMENT not balanced");
                IsoMessage end = org.posfleet.protocol.message.BatchUpload.Request.end(nextStan(), id.tid(), id.mid(), batch, false, debitCount)
                        .toMessage();
                send("BATCH_UPLOAD_END", end, System.nanoTime(), e -> {
                    expectApproved("BATCH_UPLOAD_END", e);
                    settled(done);
                });
                return;
            } else {
                debitAmount = 0;
                debitCount = 0;
                creditAmount = 0;
                creditCount = 0;
                lastSale = null;
            }
            settled(done);
        });
    }

    /** Signs off (0820/002) at the end of a run; {@code done} hears when the reply came or the terminal could not. */
    public void signOff(Runnable done) {
        if (state != State.READY || keys == null) {
            done.run();
            return;
        }
        state = State.BUSY;
        Runnable send = () -> send("SIGN_OFF", new org.posfleet.protocol.message.NetworkManagement.Request(MessageKind.SIGN_OFF, nextStan(),
                id.tid(), id.mid(), batch, null).toMessage(), System.nanoTime(), r -> {
            expectApproved("SIGN_OFF", r);
            settled(done);
        });
        if (!connected()) {
            connect(send, done);
        } else {
            send.run();
        }
    }

    /** Settlement over: with a connection per transaction the connection goes too. */
    private void settled(Runnable done) {
        if (perTransaction) {
            link.hangUp();
        }
        state = State.READY;
        done.run();
    }

    private void signOn(long intendedNanos) {
        state = State.SIGNING_ON;
        byte[] block = PinBlock.encrypt(CipherSuite.TDES, id.tmk(), PinBlock.credential(id.operatorPassword()));
        IsoMessage m = new SignOn.Request(nextStan(), id.tid(), id.mid(), batch, NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, 1, block,
                id.serial()).toMessage();
        send("SIGN_ON", m, intendedNanos, r -> {
            SignOn.Response resp = SignOn.Response.from(r);
            if (resp.responseCode() != ResponseCode.APPROVED) {
                metrics.mismatch("SIGN_ON rc " + r.string(39));
                vertx.setTimer(1000, t -> signOn(System.nanoTime()));
                return;
            }
            try {
                keys = WorkingKeys.unpack(NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, id.tmk(), resp.workingKeys());
            } catch (RuntimeException e) {
                metrics.mismatch("SIGN_ON check value");
                vertx.setTimer(1000, t -> signOn(System.nanoTime()));
                return;
            }
            mac = new PosEcbMac(CipherSuite.TDES, keys.mak());
            pins = new PinBlock.Encryptor(CipherSuite.TDES, keys.pik());
            batch = resp.batch();
            ready();
        });
    }

    /**
     * Keys for an echo run: the terminal still builds, PIN-blocks and MACs every request as it would for a host
     * (that is the generator's share of the work), with keys of its own since there is no sign-on.
     */
    private void echoKeys() {
        byte[] k = org.posfleet.crypto.FleetKeys.tmkFor(id.tmk(), id.tid());
        keys = new WorkingKeys.Clear(k.clone(), k.clone(), k.clone());
        mac = new PosEcbMac(CipherSuite.TDES, keys.mak());
        pins = new PinBlock.Encryptor(CipherSuite.TDES, keys.pik());
        ready();
    }

    private void ready() {
        if (perTransaction) {
            link.hangUp();
        }
        state = State.READY;
        if (whenReady != null) {
            Runnable next = whenReady;
            whenReady = null;
            next.run();
            return;
        }
        onReady.accept(this);
    }

    private void send(String type, IsoMessage m, long intendedNanos, Consumer<IsoMessage> onReply) {
        // with no connection (it dropped meanwhile) nothing is written and the request's timeout deals with it
        send(type, m, intendedNanos, onReply, null, link::write);
    }

    private void send(String type, IsoMessage m, long intendedNanos, Consumer<IsoMessage> onReply, Fault expected, Consumer<byte[]> writer) {
        byte[] frame = FrameCodec.encode(new Frame(tpdu, BlockingTerminal.HEADER, m), m.has(64) ? mac : null);
        long sent = System.nanoTime();
        long timer = vertx.setTimer(timeoutMillis, t -> onTimeout());
        pending = new Pending(type, m, intendedNanos, sent, timer, onReply, expected);
        metrics.sent.incrementAndGet();
        writer.accept(frame);
    }

    /** A sale with a fault injected; each fault checks that the host answers as it must. */
    private void faulty(Fault f, Arrival a) {
        metrics.mismatchFree("fault " + f + " injected");
        CardTransaction.Request sale = request(MessageKind.SALE, nextAmount()).withPin(pinBlock(), PIN_CONTROL);
        IsoMessage m = sale.toMessage();
        switch (f) {
            case SPLIT -> send("SALE", m, a.intendedNanos(), r -> {
                approved(sale, r);
                ready();
            }, null, frame -> {
                int third = frame.length / 3;
                link.write(java.util.Arrays.copyOfRange(frame, 0, third));
                vertx.setTimer(3, t -> link.write(java.util.Arrays.copyOfRange(frame, third, 2 * third)));
                vertx.setTimer(6, t -> link.write(java.util.Arrays.copyOfRange(frame, 2 * third, frame.length)));
            });
            case DUPLICATE -> send("SALE", m, a.intendedNanos(), r -> {
                if (!approved(sale, r)) {
                    ready();
                    return;
                }
                send("DUPLICATE", m, System.nanoTime(), again -> {
                    if (!"00".equals(again.string(39)) || !r.string(37).equals(again.string(37))) {
                        metrics.mismatch("fault DUPLICATE: not the stored reply (" + again.string(39) + ")");
                    }
                    ready();
                });
            });
            case BAD_MAC -> send("SALE", m, a.intendedNanos(), r -> {
                metrics.mismatch("fault BAD_MAC: answered " + r.string(39) + " without sign on again");
                ready();
            }, Fault.BAD_MAC, frame -> {
                frame[frame.length - 1] ^= 0x01;
                link.write(frame);
            });
            case DISCONNECT -> send("SALE", m, a.intendedNanos(), r -> ready(), Fault.DISCONNECT, frame -> {
                link.write(frame);
                closing = Fault.DISCONNECT;
                link.close();
            });
            case SLOW_READER -> send("SALE", m, a.intendedNanos(), r -> {
                approved(sale, r);
                ready();
            }, null, frame -> {
                link.pauseReading();
                link.write(frame);
                vertx.setTimer(2000, t -> link.resumeReading());
            });
            case WRONG_PASSWORD -> {
                if (lastSale == null) {
                    send("SALE", m, a.intendedNanos(), r -> {
                        approved(sale, r);
                        ready();
                    });
                    return;
                }
                CardTransaction.Request v = request(MessageKind.SALE_VOID, lastSale.amount())
                        .withOriginal(lastSaleReply.string(37), lastSaleReply.string(38), OriginalTransaction.of(lastSale.batch(), lastSale.stan()))
                        .withSupervisor(0, pins.encrypt(PinBlock.credential("000000")));
                send("VOID_WRONG_PASSWORD", v.toMessage(), a.intendedNanos(), r -> {
                    if (!"55".equals(r.string(39)) && !"75".equals(r.string(39))) {
                        metrics.mismatch("fault WRONG_PASSWORD: answered " + r.string(39));
                    }
                    ready();
                });
            }
            case LATE_REVERSAL -> send("SALE", m, a.intendedNanos(), r -> {
                if (approved(sale, r)) {
                    // reversed before the next transaction: the host undoes it, so it leaves this terminal's totals
                    reversalDue = Reversal.of(m, ResponseCode.ERROR);
                    debitAmount -= sale.amount();
                    debitCount--;
                    lastSale = null;
                }
                ready();
            });
            case BAD_BITMAP -> {
                // announce field 5 without sending it: the frame stays whole, the body cannot be decoded
                send("BAD_BITMAP", m, a.intendedNanos(), r -> {
                    if ("00".equals(r.string(39))) {
                        metrics.mismatch("fault BAD_BITMAP: approved");
                    }
                    ready();
                }, Fault.BAD_BITMAP, frame -> {
                    int bitmap = 2 + 5 + 6 + 2;
                    frame[bitmap] |= 0x08; // field 5
                    link.write(frame);
                });
            }
            case BAD_LENGTH -> {
                closing = Fault.BAD_LENGTH;
                link.write(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x60, 0, 3, 0, 0});
                vertx.setTimer(timeoutMillis, t -> {
                    if (closing == Fault.BAD_LENGTH && state == State.BUSY) {
                        metrics.mismatch("fault BAD_LENGTH: connection not closed by the host");
                        closing = null;
                        ready();
                    }
                });
            }
        }
    }

    /** Records an approved sale for voids, signatures and settlement; false (and a mismatch) otherwise. */
    private boolean approved(CardTransaction.Request sale, IsoMessage r) {
        if (!expectApproved("SALE", r)) {
            return false;
        }
        lastSale = sale;
        lastSaleReply = r;
        debitAmount += sale.amount();
        debitCount++;
        return true;
    }

    /** One reply frame's body, from this terminal's own connection or from its link. */
    void onFrame(byte[] body) {
        long received = System.nanoTime();
        Pending p = pending;
        if (p == null) {
            metrics.mismatch("unexpected reply");
            return;
        }
        Frame reply;
        try {
            reply = FrameCodec.decode(body, 0, body.length);
        } catch (ProtocolException e) {
            metrics.mismatch(p.type() + " undecodable reply");
            return;
        }
        IsoMessage r = reply.message();
        // a corrupted bitmap makes the request unreadable (a bare 30) or a different, garbled message (STAN and all)
        boolean garbledExpected = p.expected() == Fault.BAD_BITMAP;
        if (!garbledExpected && (!r.has(11) || r.number(11) != p.request().number(11))) {
            // a late reply to a request this terminal gave up on (and reversed or sent again): not the one it waits for
            metrics.mismatch(p.type() + " late or foreign reply (STAN " + r.string(11) + ")");
            return;
        }
        vertx.cancelTimer(p.timer());
        pending = null;
        if (echo) {
            metrics.type(p.type()).record(p.intendedNanos(), p.sentNanos(), received, "echo");
            ready();
            return;
        }
        metrics.type(p.type()).record(p.intendedNanos(), p.sentNanos(), received, String.valueOf(r.string(39)));
        if (r.mti() != p.request().mti() + 10) {
            metrics.mismatch(p.type() + " MTI " + r.mtiString());
        }
        if ("00".equals(r.string(39)) && p.request().has(64) && !r.macMatches(mac)) {
            metrics.mismatch(p.type() + " reply MAC");
        }
        if (reply.header().processingRequirement() == 3 && !"SIGN_ON".equals(p.type())) {
            if ((p.expected() != Fault.BAD_MAC && p.expected() != Fault.BAD_BITMAP) || !"A0".equals(r.string(39))) {
                metrics.mismatch(p.type() + " rc " + r.string(39) + " with sign on again");
            }
            if (p.request().mti() == 200 || p.request().mti() == 100) {
                reversalDue = "00".equals(r.string(39)) ? Reversal.of(p.request(), ResponseCode.ERROR) : reversalDue;
            }
            signOn(System.nanoTime()); // the host asks for a new sign-on: do it before anything else
            return;
        }
        p.onReply().accept(r);
    }

    private boolean expectApproved(String type, IsoMessage r) {
        if (!"00".equals(r.string(39))) {
            metrics.mismatch(type + " rc " + r.string(39));
            return false;
        }
        return true;
    }

    /** No reply in time: remember to reverse it (financial requests), carry on. */
    private void onTimeout() {
        Pending p = pending;
        pending = null;
        if (p == null) {
            return;
        }
        metrics.mismatch(p.type() + " timeout");
        if (p.request().mti() == 200 || p.request().mti() == 100) {
            reversalDue = Reversal.of(p.request(), ResponseCode.ISSUER_TIMEOUT);
        }
        if ("SIGN_ON".equals(p.type())) {
            signOn(System.nanoTime());
        } else if ("SETTLEMENT".equals(p.type()) || "BATCH_UPLOAD_END".equals(p.type()) || "SIGN_OFF".equals(p.type())) {
            p.onReply().accept(IsoMessage.builder(510).set(39, "98").build());
        } else {
            ready();
        }
    }

    /** The connection dropped: on a shared link, for every terminal on it. */
    void onLinkLost() {
        if (state == State.DISCONNECTED || state == State.CONNECTING) {
            return; // a shared link it was not on yet: it is connecting, or waiting to try again
        }
        if (pending != null) {
            vertx.cancelTimer(pending.timer());
            if (pending.request().mti() == 200 || pending.request().mti() == 100) {
                reversalDue = Reversal.of(pending.request(), ResponseCode.ISSUER_TIMEOUT);
            }
            if (closing == null) {
                metrics.mismatch(pending.type() + " connection lost");
            }
            pending = null;
        } else if (closing == null && !stopping) {
            metrics.mismatch("connection closed by the host");
        }
        closing = null;
        if (stopping) {
            state = State.DISCONNECTED;
        } else if (perTransaction && keys != null) {
            // the next transaction connects anew; what went unanswered is reversed first
            vertx.setTimer(100, t -> ready());
        } else {
            // as a terminal does: connect again and sign on; what went unanswered is reversed first
            state = State.DISCONNECTED;
            vertx.setTimer(100, t -> start());
        }
    }

    public void stop() {
        stopping = true;
        link.release();
    }

    private CardTransaction.Request request(MessageKind kind, long amount) {
        return CardTransaction.Request.of(kind, id.pan(), amount, nextStan(), batch, id.tid(), id.mid());
    }

    private byte[] pinBlock() {
        return pins.encrypt(PinBlock.format0(id.pin(), id.pan()));
    }

    /** 1.00 to 9.99 in steps that never end in a forced-answer cent value. */
    private long nextAmount() {
        amountCounter++;
        return 100 + (amountCounter % 9) * 100;
    }

    private int nextStan() {
        stan = stan % 999_999 + 1;
        return stan;
    }

}
