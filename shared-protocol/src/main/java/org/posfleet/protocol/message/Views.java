package org.posfleet.protocol.message;

import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.iso.IsoMessage;

/** Small helpers the typed views share. */
final class Views {

    private Views() {
    }

    static int intOf(IsoMessage m, int field) {
        return m.has(field) ? (int) m.number(field) : -1;
    }

    static String trimmed(IsoMessage m, int field) {
        String s = m.string(field);
        return s == null ? null : s.stripTrailing();
    }

    static void setIf(IsoMessage.Builder b, int field, String value) {
        if (value != null) {
            b.set(field, value);
        }
    }

    static void setIf(IsoMessage.Builder b, int field, byte[] value) {
        if (value != null) {
            b.set(field, value);
        }
    }

    static Reserved60 field60(IsoMessage m) {
        return Reserved60.parse(m.string(60));
    }

    /** The fields every request carries: STAN, TID, MID. */
    static IsoMessage.Builder start(int mti, int stan, String tid, String mid) {
        return IsoMessage.builder(mti).set(11, stan).set(41, tid).set(42, mid);
    }

    /** The fields every reply carries: STAN, host time and date, response code, TID, MID. */
    static IsoMessage.Builder reply(int mti, int stan, String time, String date, ResponseCode rc, String tid, String mid) {
        IsoMessage.Builder b = start(mti, stan, tid, mid).set(39, rc.code());
        setIf(b, 12, time);
        setIf(b, 13, date);
        return b;
    }
}
