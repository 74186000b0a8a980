package org.posfleet.fleet.terminal;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import org.posfleet.fleet.metrics.FleetMetrics;
import org.posfleet.protocol.frame.FrameAccumulator;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.frame.Tpdu;
import org.posfleet.protocol.iso.ProtocolException;

/**
 * A connection to the host: one terminal's own, or one that several terminals share as terminals behind a NAC
 * (network access controller) share its line to the host. On a shared link each terminal puts its own address
 * in its TPDU's source; the host's reply swaps the TPDU, so the reply's destination names the terminal it
 * belongs to (an echo server sends the request back unswapped: there the source does). The link connects when a
 * terminal first needs it, and closes when its last terminal stops; when it drops, every terminal on it sees its
 * connection lost. Lives on the fleet's event loop with its terminals.
 */
public final class HostLink {

    /** The host's address in every request's TPDU destination (NII 0003, as a single terminal sends it). */
    static final int HOST_NII = 0x0003;

    private final NetClient client;
    private final String host;
    private final int port;
    private final FleetMetrics metrics;
    private final boolean echo;
    /** Terminals by address: slot {@code a - 1} holds the terminal whose TPDU source is {@code a}. */
    private final List<VirtualTerminal> terminals = new ArrayList<>();
    private final List<Runnable[]> waiting = new ArrayList<>();
    private NetSocket socket;
    private FrameAccumulator accumulator;
    private boolean connecting;
    private int stopped;

    public HostLink(NetClient client, String host, int port, FleetMetrics metrics, boolean echo) {
        this.client = client;
        this.host = host;
        this.port = port;
        this.metrics = metrics;
        this.echo = echo;
    }

    /** Gives the terminal the next address on this link (1, 2, ...): its TPDU source when the link is shared. */
    int admit(VirtualTerminal terminal) {
        if (terminals.size() == 0xFFFF) {
            throw new IllegalStateException("a link holds at most 65,535 terminals: the TPDU's address has two bytes");
        }
        terminals.add(terminal);
        return terminals.size();
    }

    boolean connected() {
        return socket != null;
    }

    /** Runs {@code then} once the link is connected (at once if it is), {@code failed} if it cannot connect. */
    void attach(Runnable then, Runnable failed) {
        if (socket != null) {
            then.run();
            return;
        }
        waiting.add(new Runnable[] {then, failed});
        if (connecting) {
            return;
        }
        connecting = true;
        client.connect(port, host).onComplete(ar -> {
            connecting = false;
            List<Runnable[]> waiters = new ArrayList<>(waiting);
            waiting.clear();
            if (ar.failed()) {
                // the cause's type says which (refused, timeout, TLS handshake) and keeps the keys few
                metrics.mismatch("connect failed (" + ar.cause().getClass().getSimpleName() + ")");
                // counted per terminal that waited, as when each has its own connection
                metrics.connectFailures.addAndGet(waiters.size());
                waiters.forEach(w -> w[1].run());
                return;
            }
            NetSocket s = ar.result();
            socket = s;
            accumulator = new FrameAccumulator(FrameCodec.DEFAULT_MAX_BODY);
            metrics.connected.incrementAndGet();
            s.handler(this::onData);
            s.closeHandler(v -> onClosed(s));
            waiters.forEach(w -> w[0].run());
        });
    }

    /** Bytes onto the connection as they are (whole frames, or a fault's pieces); none when it is gone. */
    void write(byte[] bytes) {
        if (socket != null) {
            socket.write(Buffer.buffer(bytes));
        }
    }

    /** Drops the connection: every terminal on it hears it is lost. */
    void close() {
        if (socket != null) {
            socket.close();
        }
    }

    /** Closes the connection on purpose after a transaction (a connection per transaction): nobody hears of it. */
    void hangUp() {
        NetSocket s = socket;
        socket = null; // its close handler sees it is no longer the link's socket
        if (s != null) {
            s.close();
        }
    }

    void pauseReading() {
        if (socket != null) {
            socket.pause();
        }
    }

    void resumeReading() {
        if (socket != null) {
            socket.resume();
        }
    }

    /** A terminal is done with the link; the last one closes it. */
    void release() {
        if (++stopped >= terminals.size()) {
            close();
        }
    }

    private void onData(Buffer data) {
        byte[] bytes = data.getBytes();
        try {
            accumulator.push(bytes, 0, bytes.length, this::onFrame);
        } catch (ProtocolException e) {
            metrics.mismatch("reply framing");
            close();
        }
    }

    private void onFrame(byte[] body) {
        if (terminals.size() == 1) {
            terminals.get(0).onFrame(body); // its own connection: whatever comes is its reply, to be checked as such
            return;
        }
        if (body.length < Tpdu.SIZE) {
            metrics.mismatch("reply shorter than a TPDU");
            return;
        }
        Tpdu tpdu = Tpdu.read(body, 0);
        int address = echo ? tpdu.source() : tpdu.destination();
        if (address < 1 || address > terminals.size()) {
            metrics.mismatch("reply for no terminal on the link (TPDU " + tpdu + ")");
            return;
        }
        terminals.get(address - 1).onFrame(body);
    }

    private void onClosed(NetSocket closed) {
        metrics.connected.decrementAndGet();
        if (closed != socket) {
            return; // hung up after its transaction
        }
        socket = null;
        for (VirtualTerminal t : terminals) {
            t.onLinkLost();
        }
    }
}
