package org.posfleet.fleet.load;

/** What one arrival asks a terminal to do. */
public enum Scenario {
    SALE,
    BALANCE,
    /** Void of the terminal's last approved sale with the supervisor's void password; a sale when there is none. */
    VOID,
    /** E-signature upload for the terminal's last approved sale; a sale when there is none. */
    SIGNATURE,
    /** Partial refund (half) of the terminal's last approved sale; a sale when there is none. */
    REFUND,
    /** Pre-authorization, then its completion for less (90%) right after. */
    PREAUTH,
    /** Pre-authorization, then its void with the supervisor's void password. */
    PREAUTH_VOID,
    /** The terminal settles its batch now (its own totals against the host's) and carries on in the next batch. */
    SETTLE
}
