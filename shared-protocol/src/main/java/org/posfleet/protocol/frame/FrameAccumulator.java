package org.posfleet.protocol.frame;

import java.util.function.Consumer;
import org.posfleet.protocol.iso.ProtocolException;

/**
 * Splits a byte stream into frame bodies by their 2-byte length, whatever the chunking: a frame split
 * over many reads or many frames in one read. The buffer never grows beyond one maximal frame, so an
 * announced length can cost at most {@code maxBody} bytes of memory.
 *
 * <pre>
 *   in:  | 00 2C | 44 bytes ... | 00 1F | 31 ...     (chunks arrive in any sizes)
 *   out: [44-byte body]  [31-byte body]              (length prefix stripped)
 * </pre>
 *
 * A length outside the accepted range makes the stream untrustworthy: {@link #push} throws
 * {@link ProtocolException} with reason FRAME_LENGTH and the accumulator stays failed.
 * Not thread-safe: one per connection, used from its event loop.
 */
public final class FrameAccumulator {

    private final int maxBody;
    private final byte[] buf;
    private int have;
    private int need = -1;
    private boolean failed;

    public FrameAccumulator(int maxBody) {
        if (maxBody < FrameCodec.MIN_BODY || maxBody > 0xFFFF) {
            throw new IllegalArgumentException("max body " + maxBody);
        }
        this.maxBody = maxBody;
        this.buf = new byte[FrameCodec.LENGTH_SIZE + maxBody];
    }

    /**
     * Feeds bytes; every complete frame body is handed to {@code sink} as a fresh array (the decoder keeps
     * references into it, so it cannot be reused).
     */
    public void push(byte[] chunk, int off, int len, Consumer<byte[]> sink) {
        if (failed) {
            throw new ProtocolException(ProtocolException.Reason.FRAME_LENGTH, 0, 0, "stream already rejected");
        }
        int p = off;
        int end = off + len;
        while (p < end) {
            if (need < 0) {
                int take = Math.min(FrameCodec.LENGTH_SIZE - have, end - p);
                System.arraycopy(chunk, p, buf, have, take);
                have += take;
                p += take;
                if (have < FrameCodec.LENGTH_SIZE) {
                    return;
                }
                int body = ((buf[0] & 0xFF) << 8) | (buf[1] & 0xFF);
                try {
                    FrameCodec.checkBodyLength(body, maxBody);
                } catch (ProtocolException e) {
                    failed = true;
                    throw e;
                }
                need = body;
                have = 0;
            }
            int take = Math.min(need - have, end - p);
            System.arraycopy(chunk, p, buf, FrameCodec.LENGTH_SIZE + have, take);
            have += take;
            p += take;
            if (have == need) {
                byte[] body = new byte[need];
                System.arraycopy(buf, FrameCodec.LENGTH_SIZE, body, 0, need);
                need = -1;
                have = 0;
                sink.accept(body);
            }
        }
    }

    /** Bytes of an incomplete frame held now (length prefix included). */
    public int pending() {
        return need < 0 ? have : FrameCodec.LENGTH_SIZE + have;
    }
}
