package org.posfleet.protocol.message;

import static org.posfleet.protocol.message.Views.*;

import org.posfleet.protocol.field.BatchUploadItems;
import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * Batch upload 0320, sent after a settlement that did not balance: 60.3 = 201 with items in 48, then an end
 * message (60.3 = 202 not balanced, 207 balanced) whose 48 carries the number of items sent (n4).
 */
public final class BatchUpload {

    private BatchUpload() {
    }

    /** @param items the items (201), or null for the end message */
    public record Request(int stan, String tid, String mid, int batch, int networkCode, BatchUploadItems items, int totalSent) {

        public static Request items(int stan, String tid, String mid, int batch, BatchUploadItems items) {
            return new Request(stan, tid, mid, batch, NetworkCode.BATCH_UPLOAD, items, -1);
        }

        public static Request end(int stan, String tid, String mid, int batch, boolean balanced, int totalSent) {
            return new Request(stan, tid, mid, batch, balanced ? NetworkCode.BATCH_UPLOAD_END_BALANCED
                    : NetworkCode.BATCH_UPLOAD_END_NOT_BALANCED, null, totalSent);
        }

        public boolean isEnd() {
            return networkCode != NetworkCode.BATCH_UPLOAD;
        }

        public IsoMessage toMessage() {
            return start(320, stan, tid, mid)
                    .set(48, isEnd() ? String.format("%04d", totalSent) : items.digits())
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, batch, networkCode).digits()).build();
        }

        /** Items are null when 48 does not hold the announced count. */
        public static Request from(IsoMessage m) {
            Reserved60 r60 = field60(m);
            boolean end = r60.networkCode() != NetworkCode.BATCH_UPLOAD;
            String d48 = m.string(48);
            int total = end && d48 != null && !d48.isEmpty() && d48.length() <= 9 ? Integer.parseInt(d48) : -1;
            return new Request(intOf(m, 11), trimmed(m, 41), trimmed(m, 42), r60.batch(), r60.networkCode(),
                    end ? null : BatchUploadItems.parse(d48), total);
        }
    }

    public static IsoMessage response(IsoMessage request, String time, String date, ResponseCode rc) {
        IsoMessage.Builder b = IsoMessage.builder(330).copy(request, 11, 41, 42, 48, 60).set(39, rc.code());
        setIf(b, 12, time);
        setIf(b, 13, date);
        return b.build();
    }
}
