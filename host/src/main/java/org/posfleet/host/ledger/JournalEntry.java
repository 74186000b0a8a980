package org.posfleet.host.ledger;

/**
 * One journal row: a financial request and the reply the host sent (or would have sent).
 *
 * @param balanceDelta       what the row did to the card's balance (a reversal undoes exactly this)
 * @param originalPrevStatus the status the original had before this row changed it (voids, completions)
 */
public record JournalEntry(long id, String tid, String mid, int batchNo, int stan, int messageClass, String kind, String pan,
                           Long amount, String rrn, String authCode, String responseCode, String status, Long originalId,
                           long balanceDelta, String originalPrevStatus, byte[] requestDigest, byte[] reply) {

    public static final String POSTED = "posted";
    public static final String DECLINED = "declined";
    public static final String VOIDED = "voided";
    public static final String REVERSED = "reversed";
    public static final String COMPLETED = "completed";
    public static final String ACKNOWLEDGED = "acknowledged";

    public long amountOrZero() {
        return amount == null ? 0 : amount;
    }
}
