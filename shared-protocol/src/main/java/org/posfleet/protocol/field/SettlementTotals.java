package org.posfleet.protocol.field;

import java.util.Objects;

/**
 * Field 48 of settlement (0500/0510): totals for domestic and for foreign cards. A request carries result
 * 0; the reply sets 1 balanced, 2 not balanced, 3 error for each scope.
 */
public record SettlementTotals(Totals domestic, Totals foreign) {

    public static final int RESULT_REQUEST = 0;
    public static final int RESULT_BALANCED = 1;
    public static final int RESULT_NOT_BALANCED = 2;
    public static final int RESULT_ERROR = 3;

    /** Amounts in minor units; counts of debit (sales, completions) and credit (refunds) transactions. */
    public record Totals(long debitAmount, int debitCount, long creditAmount, int creditCount, int result) {
        public Totals {
            if (debitAmount < 0 || debitAmount > 999_999_999_999L || creditAmount < 0 || creditAmount > 999_999_999_999L
                    || debitCount < 0 || debitCount > 999 || creditCount < 0 || creditCount > 999 || result < 0 || result > 9) {
                throw new IllegalArgumentException("settlement totals out of range");
            }
        }

        public static final Totals ZERO = new Totals(0, 0, 0, 0, 0);

        /** Same amounts and counts, ignoring the result digit. */
        public boolean sameTotals(Totals o) {
            return debitAmount == o.debitAmount && debitCount == o.debitCount
                    && creditAmount == o.creditAmount && creditCount == o.creditCount;
        }

        public Totals withResult(int r) {
            return new Totals(debitAmount, debitCount, creditAmount, creditCount, r);
        }

        String digits() {
            return String.format("%012d%03d%012d%03d%d", debitAmount, debitCount, creditAmount, creditCount, result);
        }

        static Totals parse(String d, int from) {
            return new Totals(Long.parseLong(d.substring(from, from + 12)), Integer.parseInt(d.substring(from + 12, from + 15)),
                    Long.parseLong(d.substring(from + 15, from + 27)), Integer.parseInt(d.substring(from + 27, from + 30)),
                    d.charAt(from + 30) - '0');
        }
    }

    public SettlementTotals {
        Objects.requireNonNull(domestic);
        Objects.requireNonNull(foreign);
    }

    /** Accepts the full 62 digits or the domestic 31 only (foreign then zero); null when shorter. */
    public static SettlementTotals parse(String digits) {
        if (digits == null || digits.length() < 31) {
            return null;
        }
        Totals domestic = Totals.parse(digits, 0);
        Totals foreign = digits.length() >= 62 ? Totals.parse(digits, 31) : Totals.ZERO;
        return new SettlementTotals(domestic, foreign);
    }

    public String digits() {
        return domestic.digits() + foreign.digits();
    }
}
