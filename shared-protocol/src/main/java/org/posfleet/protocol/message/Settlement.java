package org.posfleet.protocol.message;

import static org.posfleet.protocol.message.Views.*;

import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.field.SettlementTotals;
import org.posfleet.protocol.iso.IsoMessage;

/** Settlement 0500/201 with the terminal's totals in 48; the 0510 gives the host's verdict per scope. */
public final class Settlement {

    private Settlement() {
    }

    public record Request(int stan, String tid, String mid, int batch, int operator, SettlementTotals totals, String currency) {

        public IsoMessage toMessage() {
            return start(500, stan, tid, mid).set(48, totals.digits()).set(49, currency)
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, batch, NetworkCode.SETTLEMENT).digits())
                    .set(63, OperatorNumber.format(operator)).build();
        }

        /** Totals are null when 48 is missing or too short. */
        public static Request from(IsoMessage m) {
            return new Request(intOf(m, 11), trimmed(m, 41), trimmed(m, 42), field60(m).batch(),
                    OperatorNumber.parse(m.string(63)), SettlementTotals.parse(m.string(48)), m.string(49));
        }
    }

    /** @param totals the terminal's totals with the result digit set per scope (1 balanced, 2 not) */
    public record Response(int stan, String time, String date, String settlementDate, String rrn, ResponseCode responseCode,
                           String tid, String mid, int batch, SettlementTotals totals, String currency) {

        public boolean balanced() {
            return totals != null && totals.domestic().result() == SettlementTotals.RESULT_BALANCED
                    && totals.foreign().result() == SettlementTotals.RESULT_BALANCED;
        }

        public IsoMessage toMessage() {
            IsoMessage.Builder b = reply(510, stan, time, date, responseCode, tid, mid)
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, batch, NetworkCode.SETTLEMENT).digits());
            setIf(b, 15, settlementDate);
            setIf(b, 37, rrn);
            setIf(b, 48, totals == null ? null : totals.digits());
            setIf(b, 49, currency);
            return b.build();
        }

        public static Response from(IsoMessage m) {
            return new Response(intOf(m, 11), m.string(12), m.string(13), m.string(15), m.string(37),
                    ResponseCode.of(m.string(39)), trimmed(m, 41), trimmed(m, 42), field60(m).batch(),
                    SettlementTotals.parse(m.string(48)), m.string(49));
        }
    }
}
