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
    private final Coalesced<Journal.Write, Void> rows;
    private final int members;
    private int inserted;
    private Future<?> commit;

    /** @param committing told when the COMMIT has gone out: from then on the group only waits for its WAL flush */
    GroupTransaction(SqlConnection connection, Journal journal, Context context, int members, Runnable committing) {
        this.connection = connection;
        this.members = members;
        this.openings = new Coalesced<>(context, keys -> journal.openAll(connection, keys));
        this.rows = new Coalesced<>(context, entries -> {
            Future<Void> written = journal.insertAll(connection, entries);
            inserted += entries.size();
            if (inserted == members) {
                // every member has written its last row: COMMIT goes out behind the rows, without a round trip of its
                // own. Should any statement of the group fail, PostgreSQL ends the transaction with a rollback instead.
                commit = connection.query("commit").execute();
                committing.run();
            }
            return written.map(v -> Collections.<Void>nCopies(entries.size(), null));
        });
    }

    /**
     * The COMMIT already sent behind the last member's row (null: not sent, the group commits or rolls back when its
     * members are done). It commits only if every statement of the group succeeded.
     */
    Future<?> commitSent() {
        return commit;
    }

    public SqlConnection connection() {
        return connection;
    }

    /** What a posting reads first (see {@link Journal.Opening}), in one statement with the other members' reads. */
    public Future<Journal.Opening> open(Journal.OpenKey key) {
        return openings.add(key);
    }

    /**
     * Writes a journal row (with its balance change and its status changes to earlier rows), in one statement with
     * the other members' rows. It must be the member's last statement, and the member's outcome must then depend on
     * nothing but its result: when every member has called it, the group's COMMIT follows the rows at once.
     */
    public Future<Void> insert(JournalEntry row, java.util.List<Journal.StatusChange> statusChanges) {
        return rows.add(new Journal.Write(row, statusChanges));
    }
}
