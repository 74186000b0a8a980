package org.posfleet.host.net;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.flow.Dispatcher;
import org.posfleet.host.flow.Reply;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameAccumulator;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.frame.Header;
import org.posfleet.protocol.frame.Tpdu;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.ProtocolException;
import org.posfleet.protocol.message.ResponseCode;

/**
 * One terminal connection, persistent or one per transaction alike. It only frames and dispatches:
 * <ul>
 *   <li>a bad frame length means the stream cannot be trusted: the connection is closed;</li>
 *   <li>a frame whose body does not decode gets a format-error reply (30) when its MTI can be read, and the
 *       connection stays open; other connections are never affected;</li>
 *   <li>replies leave in request order, even when a later request finishes first, per TPDU source: terminals
 *       behind a NAC that share the connection (each its own source) do not wait for each other's replies;</li>
 *   <li>reading pauses while the socket's write queue is full or too many requests are in flight;</li>
 *   <li>a frame started but not completed within the read timeout closes the connection (slow senders).</li>
 * </ul>
 */
final class TerminalConnection {

    private static final Logger LOG = Logger.getLogger(TerminalConnection.class.getName());
    private static final Future<Void> DONE = Future.succeededFuture();

    private final Vertx vertx;
    private final NetSocket socket;
    private final Dispatcher dispatcher;
    private final HostConfig config;
    private final FrameAccumulator accumulator;
    /** The last reply on its way per TPDU source; an entry leaves once its reply is written. */
    private final Map<Integer, Future<Void>> tails = new HashMap<>(4);
    private long readTimer = -1;
    private final CloseLog closeLog;
    private int inFlight;
    private boolean paused;
    private boolean closed;

    TerminalConnection(Vertx vertx, NetSocket socket, Dispatcher dispatcher, HostConfig config, CloseLog closeLog) {
        this.closeLog = closeLog;
        this.vertx = vertx;
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.config = config;
        this.accumulator = new FrameAccumulator(config.maxFrameBody());
    }

    void start() {
        socket.handler(this::onData);
        socket.exceptionHandler(e -> close("socket error", String.valueOf(e.getMessage())));
        socket.drainHandler(v -> updateFlow());
    }

    void onClosed() {
        closed = true;
        cancelReadTimer();
    }

    private void onData(Buffer data) {
        byte[] bytes = data.getBytes();
        try {
            accumulator.push(bytes, 0, bytes.length, this::onFrame);
        } catch (ProtocolException e) {
            close("untrustworthy stream", e.getMessage());
            return;
        }
        if (accumulator.pending() > 0) {
            if (readTimer < 0) {
                readTimer = vertx.setTimer(config.readTimeout().toMillis(), id -> {
                    readTimer = -1;
                    close("frame not completed within the read timeout", String.valueOf(config.readTimeout()));
                });
            }
        } else {
            cancelReadTimer();
        }
    }

    private void onFrame(byte[] body) {
        Frame request;
        try {
            request = FrameCodec.decode(body, 0, body.length);
        } catch (ProtocolException e) {
            LOG.info(() -> "undecodable frame from " + socket.remoteAddress() + ": " + e.getMessage());
            formatError(body);
            return;
        }
        inFlight++;
        updateFlow();
        Future<Reply> reply = dispatcher.handle(request.message());
        inOrder(request.tpdu().source(), previous -> reply.<Void>map(r -> {
            if (r != null) {
                write(FrameCodec.encode(request.reply(r.message(), r.processingRequirement()), r.signer()));
            }
            return null;
        }).otherwise(err -> {
            LOG.warning(() -> "no reply sent: " + err);
            return null;
        })).onComplete(ar -> {
            inFlight--;
            updateFlow();
        });
    }

    /** Runs {@code next} after the replies already on their way to the same TPDU source. */
    private Future<Void> inOrder(int source, Function<Void, Future<Void>> next) {
        Integer key = source;
        Future<Void> done = tails.getOrDefault(key, DONE).transform(previous -> next.apply(null));
        tails.put(key, done);
        done.onComplete(ar -> tails.remove(key, done));
        return done;
    }

    /** A reply carrying only 39 = 30, when the MTI is readable; TPDU and header exist (the frame is long enough). */
    private void formatError(byte[] body) {
        int iso = Tpdu.SIZE + Header.SIZE;
        int hi = body[iso] & 0xFF;
        int lo = body[iso + 1] & 0xFF;
        if ((hi >>> 4) > 9 || (hi & 0xF) > 9 || (lo >>> 4) > 9 || (lo & 0xF) > 9) {
            return;
        }
        int mti = ((hi >>> 4) * 1000) + ((hi & 0xF) * 100) + ((lo >>> 4) * 10) + (lo & 0xF);
        if (mti % 20 >= 10) {
            return;
        }
        Frame reply = new Frame(Tpdu.read(body, 0).reply(), Header.read(body, Tpdu.SIZE).withProcessingRequirement(Header.PR_NONE),
                IsoMessage.builder(mti + 10).set(39, ResponseCode.FORMAT_ERROR.code()).build());
        inOrder(reply.tpdu().destination(), previous -> {
            write(FrameCodec.encode(reply));
            return DONE;
        });
    }

    private void write(byte[] frame) {
        if (!closed) {
            socket.write(Buffer.buffer(frame));
            updateFlow();
        }
    }

    /** Backpressure: stop reading while replies cannot leave or too many requests are outstanding. */
    private void updateFlow() {
        boolean shouldPause = socket.writeQueueFull() || inFlight >= config.maxInFlight();
        if (shouldPause && !paused) {
            socket.pause();
            paused = true;
        } else if (!shouldPause && paused) {
            socket.resume();
            paused = false;
        }
    }

    private void cancelReadTimer() {
        if (readTimer >= 0) {
            vertx.cancelTimer(readTimer);
            readTimer = -1;
        }
    }

    private void close(String why, String detail) {
        closeLog.closed(socket.remoteAddress(), why, detail);
        cancelReadTimer();
        socket.close();
    }
}
