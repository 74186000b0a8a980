package org.posfleet.protocol.message;

import static org.posfleet.protocol.message.Views.*;

import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * Reversal 0400: the original request's identifying fields (same 3, 11, 25, 60) without PIN or track data,
 * and 39 = the reason (98 no reply, 06 declined after approval, A0 bad MAC on the reply).
 */
public final class Reversal {

    /** Original fields a reversal copies. */
    private static final int[] COPIED = {2, 3, 4, 11, 14, 22, 23, 25, 38, 41, 42, 49, 53, 55, 60, 61};

    private Reversal() {
    }

    /** The reversal of {@code originalRequest} for {@code reason}, with field 64 announced. */
    public static IsoMessage of(IsoMessage originalRequest, ResponseCode reason) {
        IsoMessage.Builder b = IsoMessage.builder(400);
        for (int f : COPIED) {
            b.copy(originalRequest, f);
        }
        return b.set(39, reason.code()).withMac().build();
    }

    /** A reversal as the host reads it. */
    public record Request(MessageKind originalKind, String pan, long amount, int stan, ResponseCode reason, String tid,
                          String mid, Reserved60 field60) {

        public static Request from(IsoMessage m) {
            return new Request(MessageKind.reversedKind(m), m.string(2), m.has(4) ? m.number(4) : -1, intOf(m, 11),
                    ResponseCode.of(m.string(39)), trimmed(m, 41), trimmed(m, 42), Views.field60(m));
        }

        public int batch() {
            return field60.batch();
        }
    }

    /** The 0410: echoes 3, 4, 11, 25, 41, 42, 49, 60 of the reversal and carries the host's answer. */
    public static IsoMessage response(IsoMessage reversal, String time, String date, ResponseCode rc, boolean mac) {
        IsoMessage.Builder b = IsoMessage.builder(410).copy(reversal, 2, 3, 4, 11, 25, 41, 42, 49, 60).set(39, rc.code());
        setIf(b, 12, time);
        setIf(b, 13, date);
        return mac ? b.withMac().build() : b.build();
    }
}
