package org.posfleet.host.ledger;

import io.vertx.core.Future;
import java.util.List;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * What a flow decided inside its transaction: the journal row to write and the reply (null: none is sent), the
 * statuses the row gives earlier rows (written in the row's own statement), and writes the flow issued without
 * waiting for them ({@code pending}, may be null): the journal row is written in the same round trip, and the
 * posting completes only when both have.
 */
public record Decision(JournalEntry entry, IsoMessage reply, Future<?> pending, List<Journal.StatusChange> statusChanges) {

    /**
     * No decision yet: the flow needs work that must not run inside the transaction (PBKDF2). Nothing is written, and
     * the posting fails with {@link Posting.Deferred} so that its caller does that work and posts again.
     */
    public static final Decision DEFERRED = new Decision(null, null, null, List.of());

    public Decision(JournalEntry entry, IsoMessage reply) {
        this(entry, reply, null, List.of());
    }

    /** This decision, complete only once {@code writes} are. */
    public Decision after(Future<?> writes) {
        return new Decision(entry, reply, writes, statusChanges);
    }

    /** This decision, changing earlier rows' statuses with its row. */
    public Decision changing(List<Journal.StatusChange> changes) {
        return new Decision(entry, reply, pending, changes);
    }
}
