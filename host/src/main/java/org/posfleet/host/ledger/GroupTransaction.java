package org.posfleet.host.ledger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.Collections;

/**
 * A commit group's transaction as one of its members sees it: the connection (for the statements only that member
 * makes), and the two statements every posting makes, shared by all members of the group: the opening read
 * ({@link Journal#openAll}) and the journal rows ({@link Journal#insertAll}). Members of one group are of different
 * terminals, so their reads and writes do not depend on one another (see {@link CommitGroup}).
 */
public final class GroupTransaction {

    private final SqlConnection connection;
    private final Coalesced<Journal.OpenKey, Journal.Opening> openings;
    private final Coalesced<JournalEntry, Void> rows;

    GroupTransaction(SqlConnection connection, Journal journal, Context context) {
        this.connection = connection;
        this.openings = new Coalesced<>(context, keys -> journal.openAll(connection, keys));
        this.rows = new Coalesced<>(context, entries -> journal.insertAll(connection, entries)
                .map(v -> Collections.<Void>nCopies(entries.size(), null)));
    }

    public SqlConnection connection() {
        return connection;
    }

    /** What a posting reads first (see {@link Journal.Opening}), in one statement with the other members' reads. */
    public Future<Journal.Opening> open(Journal.OpenKey key) {
        return openings.add(key);
    }

    /** Writes a journal row (and its balance change), in one statement with the other members' rows. */
    public Future<Void> insert(JournalEntry row) {
        return rows.add(row);
    }
}
