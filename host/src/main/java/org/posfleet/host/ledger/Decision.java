package org.posfleet.host.ledger;

import io.vertx.core.Future;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * What a flow decided inside its transaction: the journal row to write and the reply (null: none is sent), and
 * writes the flow issued without waiting for them ({@code pending}, may be null): the journal row is written in
 * the same round trip, and the posting completes only when both have.
 */
public record Decision(JournalEntry entry, IsoMessage reply, Future<?> pending) {

    public Decision(JournalEntry entry, IsoMessage reply) {
        this(entry, reply, null);
    }

    /** This decision, complete only once {@code writes} are. */
    public Decision after(Future<?> writes) {
        return new Decision(entry, reply, writes);
    }
}
