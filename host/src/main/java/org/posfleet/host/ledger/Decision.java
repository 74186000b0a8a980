package org.posfleet.host.ledger;

import org.posfleet.protocol.iso.IsoMessage;

/** What a flow decided inside its transaction: the journal row to write and the reply (null: none is sent). */
public record Decision(JournalEntry entry, IsoMessage reply) {
}
