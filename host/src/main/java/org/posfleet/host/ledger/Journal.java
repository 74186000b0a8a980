package org.posfleet.host.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;
import org.posfleet.protocol.iso.Digits;

/**
 * The journal and everything a posting touches (cards, orphan reversals, batches, signatures), on PostgreSQL.
 * Every posting runs in one transaction that first takes the terminal's advisory lock, so requests of one
 * terminal (on any connection, any event loop) are decided one after the other; the reply is built only
 * after that transaction commits (synchronous commit).
 */
public final class Journal {

    private static final String COLUMNS = "id, tid, mid, batch_no, stan, message_class, kind, pan, amount, rrn, auth_code,"
            + " response_code, status, original_id, balance_delta, original_prev_status, request_digest, reply";
    private static final String COLUMNS_OF_J = java.util.Arrays.stream(COLUMNS.split(", ")).map(c -> "j." + c)
            .collect(java.util.stream.Collectors.joining(", "));
    private static final String COLUMNS_OF_G = COLUMNS_OF_J.replace("j.", "g.");

    private final Pool pool;

    public Journal(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** Runs {@code work} in a transaction holding the terminal's lock; commits when the future succeeds. */
    public <T> Future<T> inTerminalTransaction(String tid, Function<SqlConnection, Future<T>> work) {
        return pool.withTransaction(c -> c.preparedQuery("select pg_advisory_xact_lock(hashtext($1))").execute(Tuple.of(tid))
                .compose(v -> work.apply(c)));
    }

    public Future<JournalEntry> find(SqlClient c, String tid, String mid, int batch, int stan, int messageClass) {
        return one(c, "select " + COLUMNS + " from journal where tid = $1 and mid = $2 and batch_no = $3 and stan = $4"
                + " and message_class = $5", Tuple.of(tid, mid, batch, stan, messageClass)).map(Journal::entry);
    }

    public Future<JournalEntry> findByRrn(SqlClient c, String tid, String rrn) {
        return one(c, "select " + COLUMNS + " from journal where tid = $1 and rrn = $2 and message_class in (1, 2)"
                + " order by id limit 1", Tuple.of(tid, rrn)).map(Journal::entry);
    }

    public Future<JournalEntry> byId(SqlClient c, long id) {
        return one(c, "select " + COLUMNS + " from journal where id = $1", Tuple.of(id)).map(Journal::entry);
    }

    /** Sum of posted refunds against an original. */
    public Future<Long> refunded(SqlClient c, long originalId) {
        return one(c, "select coalesce(sum(amount), 0) from journal where original_id = $1 and kind = 'REFUND' and status = 'posted'",
                Tuple.of(originalId)).map(r -> r.getLong(0));
    }

    /** A status a posting gives an earlier journal row (a void's or reversal's original, a completed pre-authorization). */
    public record StatusChange(long id, String status) {
    }

    /** A journal row to write, with the status changes to earlier rows that go with it. */
    public record Write(JournalEntry row, java.util.List<StatusChange> statusChanges) {
    }

    /**
     * Writes journal rows in one statement, and applies in the same statement each row's balance change to its card
     * and its status changes to earlier rows: every row that moves money (a sale, refund, completion, or the void or
     * reversal undoing one) carries the change it makes, so balances, statuses and the journal cannot disagree. Rows
     * are written in their order (ids ascending). No two writes may change the same earlier row (a commit group holds
     * one posting per terminal, and a posting changes only its own terminal's rows).
     */
    public Future<Void> insertAll(SqlClient c, java.util.List<Write> writes) {
        java.util.List<JournalEntry> rows = new java.util.ArrayList<>(writes.size());
        java.util.List<Long> changedIds = new java.util.ArrayList<>();
        java.util.List<String> changedTo = new java.util.ArrayList<>();
        for (Write w : writes) {
            rows.add(w.row());
            for (StatusChange change : w.statusChanges()) {
                changedIds.add(change.id());
                changedTo.add(change.status());
            }
        }
        int n = rows.size();
        Object[][] columns = new Object[18][];
        columns[0] = new String[n];
        columns[1] = new String[n];
        columns[2] = new Integer[n];
        columns[3] = new Integer[n];
        columns[4] = new Integer[n];
        for (int k = 5; k <= 15; k++) {
            columns[k] = k == 8 || k == 13 || k == 14 ? new Long[n] : new String[n];
        }
        columns[16] = new Buffer[n];
        columns[17] = new Buffer[n];
        // the balance changes per card, summed: the cards are found through their index by the array (a join with
        // the rows would be planned as a scan of every card, generic plans not knowing how few rows come)
        java.util.Map<String, Long> charges = new java.util.LinkedHashMap<>();
        for (JournalEntry e : rows) {
            if (e.balanceDelta() != 0 && e.pan() != null) {
                charges.merge(e.pan(), e.balanceDelta(), Long::sum);
            }
        }
        for (int i = 0; i < n; i++) {
            JournalEntry e = rows.get(i);
            Object[] values = {e.tid(), e.mid(), e.batchNo(), e.stan(), e.messageClass(), e.kind(), mask(e.pan()), e.pan(), e.amount(),
                    e.rrn(), e.authCode(), e.responseCode(), e.status(), e.originalId(), e.balanceDelta(), e.originalPrevStatus(),
                    Buffer.buffer(e.requestDigest()), e.reply() == null ? null : Buffer.buffer(e.reply())};
            for (int k = 0; k < values.length; k++) {
                columns[k][i] = values[k];
            }
        }
        return c.preparedQuery("with r as (select * from unnest($1::varchar[], $2::varchar[], $3::int[], $4::int[], $5::int[], $6::text[],"
                        + " $7::text[], $8::varchar[], $9::int8[], $10::varchar[], $11::varchar[], $12::varchar[], $13::text[], $14::int8[],"
                        + " $15::int8[], $16::text[], $17::bytea[], $18::bytea[]) with ordinality as r(tid, mid, batch_no, stan,"
                        + " message_class, kind, pan_masked, pan, amount, rrn, auth_code, response_code, status, original_id,"
                        + " balance_delta, original_prev_status, request_digest, reply, i)),"
                        + " charged as (update test_card k set balance = k.balance + ($20::int8[])[array_position($19::varchar[], k.pan)],"
                        + " updated_at = now() where k.pan = any($19::varchar[])),"
                        + " changed as (update journal s set status = ($22::text[])[array_position($21::int8[], s.id)]"
                        + " where s.id = any($21::int8[]))"
                        + " insert into journal (tid, mid, batch_no, stan, message_class, kind, pan_masked, pan, amount, rrn, auth_code,"
                        + " response_code, status, original_id, balance_delta, original_prev_status, request_digest, reply)"
                        + " select tid, mid, batch_no, stan, message_class, kind, pan_masked, pan, amount, rrn, auth_code, response_code,"
                        + " status, original_id, balance_delta, original_prev_status, request_digest, reply from r order by i")
                .execute(Tuple.from(columns).addValue(charges.keySet().toArray(new String[0]))
                        .addValue(charges.values().toArray(new Long[0])).addValue(changedIds.toArray(new Long[0]))
                        .addValue(changedTo.toArray(new String[0]))).mapEmpty();
    }

    /** The card, locked for this transaction; null when the stand-in issuer does not know it. */
    public Future<TestCard> card(SqlClient c, String pan) {
        return one(c, "select pan, expiry, pvv, pin_tries, balance, status from test_card where pan = $1 for update", Tuple.of(pan))
                .map(r -> r == null ? null : new TestCard(r.getString(0), r.getString(1), r.getString(2), r.getInteger(3),
                        r.getLong(4), r.getString(5)));
    }

    /** Sets a card's PIN tries; its balance moves only with journal rows ({@link #insertAll}). */
    public Future<Void> setPinTries(SqlClient c, String pan, int tries) {
        return c.preparedQuery("update test_card set pin_tries = $2, updated_at = now() where pan = $1")
                .execute(Tuple.of(pan, tries)).mapEmpty();
    }

    public Future<Void> ensureCard(TestCard card) {
        return pool.preparedQuery("insert into test_card (pan, expiry, pvv, balance, status) values ($1, $2, $3, $4, $5)"
                + " on conflict (pan) do nothing").execute(Tuple.of(card.pan(), card.expiry(), card.pvv(), card.balance(), card.status()))
                .mapEmpty();
    }

    /**
     * What undoing a posted row changes: the row becomes {@code newStatus} and its own original gets back the status it
     * had before (a voided completion's pre-authorization is posted again). The balance is given back by the row that
     * undoes it (its balance change is the opposite one, see {@link #insertAll}), written with these changes.
     */
    public static java.util.List<StatusChange> undo(JournalEntry row, String newStatus) {
        StatusChange undone = new StatusChange(row.id(), newStatus);
        return row.originalId() != null && row.originalPrevStatus() != null
                ? java.util.List.of(undone, new StatusChange(row.originalId(), row.originalPrevStatus()))
                : java.util.List.of(undone);
    }

    /** Records a request refused at the gate; its reply waits for this row like any other. */
    public Future<Void> refused(String tid, String mid, int mti, Integer stan, String responseCode) {
        return pool.preparedQuery("insert into refused_message (tid, mid, mti, stan, response_code) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(tid, mid, mti, stan, responseCode)).mapEmpty();
    }

    /** Adds a card or replaces it (PIN tries reset). */
    public Future<Void> putCard(TestCard card) {
        return pool.preparedQuery("insert into test_card (pan, expiry, pvv, balance, status) values ($1, $2, $3, $4, $5)"
                + " on conflict (pan) do update set expiry = excluded.expiry, pvv = excluded.pvv, balance = excluded.balance,"
                + " status = excluded.status, pin_tries = 0, updated_at = now()")
                .execute(Tuple.of(card.pan(), card.expiry(), card.pvv(), card.balance(), card.status())).mapEmpty();
    }

    /**
     * Where a posting's row goes (its exactly-once key), the card it charges ({@code pan}, may be null), the original
     * it refers to (batch, STAN and message class, each null when it names none) and the operator whose password it
     * carries (a void's supervisor; null for none).
     */
    public record OpenKey(String tid, String mid, int batch, int stan, int messageClass, String pan, Integer originalBatch,
                          Integer originalStan, Integer originalClass, Integer operatorNo) {
    }

    /**
     * What a posting reads first, in one statement (it runs after the terminal's lock, so it sees every earlier
     * posting of the terminal): the journal row already under its key (a repeat or a duplicate), a fresh RRN (a
     * repeat wastes one: RRNs may have gaps), whether a reversal of this request arrived before it, the card,
     * under its commit group's lock (null without a PAN or for an unknown card), the original row it names, the
     * terminal's gate version (null for an unknown terminal; see {@link org.posfleet.host.store.TerminalStore.State})
     * and the operator it names (null: none asked for, or unknown).
     */
    public record Opening(JournalEntry previous, String rrn, boolean reversedFirst, TestCard card, JournalEntry original,
                          Long gateVersion, org.posfleet.host.store.Operator operator) {
    }

    /** The openings of several postings (of different terminals), in one statement, in their order. */
    public Future<java.util.List<Opening>> openAll(SqlClient c, java.util.List<OpenKey> keys) {
        int n = keys.size();
        Object[][] columns = {new String[n], new String[n], new Integer[n], new Integer[n], new Integer[n], new String[n],
                new Integer[n], new Integer[n], new Integer[n], new Integer[n]};
        for (int i = 0; i < n; i++) {
            OpenKey k = keys.get(i);
            Object[] values = {k.tid(), k.mid(), k.batch(), k.stan(), k.messageClass(), k.pan(), k.originalBatch(), k.originalStan(),
                    k.originalClass(), k.operatorNo()};
            for (int col = 0; col < values.length; col++) {
                columns[col][i] = values[col];
            }
        }
        // joins, not EXISTS: PostgreSQL would hash all of orphan_reversal for each statement
        return c.preparedQuery("select nextval('rrn_seq'), o.tid is not null, " + COLUMNS_OF_J + ", k.pan, k.expiry, k.pvv, k.pin_tries,"
                        + " k.balance, k.status, " + COLUMNS_OF_G + ", t.gate_version, op.operator_no, op.role, op.password_hash,"
                        + " op.failed_attempts, op.locked_at is not null"
                        + " from unnest($1::varchar[], $2::varchar[], $3::int[], $4::int[], $5::int[], $6::varchar[], $7::int[], $8::int[],"
                        + " $9::int[], $10::int[]) with ordinality as r(tid, mid, batch_no, stan, message_class, pan, o_batch, o_stan,"
                        + " o_class, operator_no, i)"
                        + " left join journal j on j.tid = r.tid and j.mid = r.mid and j.batch_no = r.batch_no and j.stan = r.stan"
                        + " and j.message_class = r.message_class"
                        + " left join journal g on g.tid = r.tid and g.mid = r.mid and g.batch_no = r.o_batch and g.stan = r.o_stan"
                        + " and g.message_class = r.o_class"
                        + " left join lateral (select pan, expiry, pvv, pin_tries, balance, status from test_card where pan = r.pan"
                        + ") k on true"
                        + " left join terminal t on t.tid = r.tid"
                        + " left join operator op on op.tid = r.tid and op.operator_no = r.operator_no"
                        + " left join orphan_reversal o on o.tid = r.tid and o.mid = r.mid and o.batch_no = r.batch_no and o.stan = r.stan"
                        + " order by r.i")
                .execute(Tuple.from(columns))
                .map(rows -> {
                    java.util.List<Opening> out = new java.util.ArrayList<>(n);
                    for (Row r : rows) {
                        out.add(new Opening(r.getValue(2) == null ? null : entry(r, 2),
                                Digits.padded(r.getLong(0) % 1_000_000_000_000L, 12), r.getBoolean(1),
                                r.getString(20) == null ? null : new TestCard(r.getString(20), r.getString(21), r.getString(22),
                                        r.getInteger(23), r.getLong(24), r.getString(25)),
                                r.getValue(26) == null ? null : entry(r, 26), r.getLong(44),
                                r.getValue(45) == null ? null : new org.posfleet.host.store.Operator(keys.get(out.size()).tid(),
                                        r.getInteger(45), r.getString(46), r.getString(47), r.getInteger(48), r.getBoolean(49))));
                    }
                    return out;
                });
    }

    public Future<Void> addOrphanReversal(SqlClient c, String tid, String mid, int batch, int stan) {
        return c.preparedQuery("insert into orphan_reversal (tid, mid, batch_no, stan) values ($1, $2, $3, $4) on conflict do nothing")
                .execute(Tuple.of(tid, mid, batch, stan)).mapEmpty();
    }

    /** {debit amount, debit count, credit amount, credit count} of a batch's postings. */
    public Future<long[]> totals(SqlClient c, String tid, int batch) {
        return one(c, "select coalesce(sum(amount) filter (where kind in ('SALE', 'COMPLETION')), 0),"
                + " count(*) filter (where kind in ('SALE', 'COMPLETION')),"
                + " coalesce(sum(amount) filter (where kind = 'REFUND'), 0), count(*) filter (where kind = 'REFUND')"
                + " from journal where tid = $1 and batch_no = $2 and status in ('posted', 'completed')"
                + " and kind in ('SALE', 'COMPLETION', 'REFUND')", Tuple.of(tid, batch))
                .map(r -> new long[] {r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3)});
    }

    public Future<Void> recordBatch(SqlClient c, String tid, int batch, String status, String hostTotals, String terminalTotals,
                                    Boolean balanced) {
        return c.preparedQuery("insert into batch (tid, batch_no, status, host_totals, terminal_totals, balanced, settled_at)"
                        + " values ($1, $2, $3, $4, $5, $6, case when $3 = 'settled' then now() end) on conflict (tid, batch_no) do update"
                        + " set status = excluded.status, host_totals = coalesce(excluded.host_totals, batch.host_totals),"
                        + " terminal_totals = coalesce(excluded.terminal_totals, batch.terminal_totals),"
                        + " balanced = coalesce(excluded.balanced, batch.balanced), settled_at = excluded.settled_at")
                .execute(Tuple.of(tid, batch, status, hostTotals, terminalTotals, balanced)).mapEmpty();
    }

    /** Closes the terminal's current batch: the terminal moves to the next batch number. */
    public Future<Integer> advanceBatch(SqlClient c, String tid, int closing) {
        return one(c, "update terminal set batch_no = $2 % 999999 + 1, updated_at = now() where tid = $1 and batch_no = $2"
                + " returning batch_no", Tuple.of(tid, closing)).map(r -> r == null ? closing : r.getInteger(0));
    }

    public Future<Void> uploadItems(SqlClient c, String tid, int batch, int stan, String items) {
        return c.preparedQuery("insert into batch_upload_item (tid, batch_no, stan, items) values ($1, $2, $3, $4)")
                .execute(Tuple.of(tid, batch, stan, items)).mapEmpty();
    }

    /** Stores a signature as the current one of the transaction; the earlier ones stay as history. */
    public Future<Void> storeSignature(SqlClient c, long journalId, byte[] image, byte[] slip) {
        return c.preparedQuery("update signature set is_current = false where journal_id = $1 and is_current").execute(Tuple.of(journalId))
                .compose(v -> c.preparedQuery("insert into signature (journal_id, image, slip_data, is_current) values ($1, $2, $3, true)")
                        .execute(Tuple.of(journalId, Buffer.buffer(image), slip == null ? null : Buffer.buffer(slip))))
                .mapEmpty();
    }

    public Future<Integer> signatureCount(SqlClient c, long journalId) {
        return one(c, "select count(*) from signature where journal_id = $1", Tuple.of(journalId)).map(r -> r.getInteger(0));
    }

    static String mask(String pan) {
        if (pan == null || pan.length() < 10) {
            return pan == null ? null : "*".repeat(pan.length());
        }
        return pan.substring(0, 6) + "*".repeat(pan.length() - 10) + pan.substring(pan.length() - 4);
    }

    private static JournalEntry entry(Row r) {
        return r == null ? null : entry(r, 0);
    }

    /** The journal columns ({@link #COLUMNS}) of {@code r} from column {@code at} on. */
    private static JournalEntry entry(Row r, int at) {
        Buffer digest = r.getBuffer(at + 16);
        Buffer reply = r.getBuffer(at + 17);
        return new JournalEntry(r.getLong(at), r.getString(at + 1), r.getString(at + 2), r.getInteger(at + 3), r.getInteger(at + 4),
                r.getShort(at + 5), r.getString(at + 6), r.getString(at + 7), r.getLong(at + 8), r.getString(at + 9), r.getString(at + 10),
                r.getString(at + 11), r.getString(at + 12), r.getLong(at + 13), r.getLong(at + 14), r.getString(at + 15), digest.getBytes(),
                reply == null ? null : reply.getBytes());
    }

    private static Future<Row> one(SqlClient client, String sql, Tuple args) {
        return client.preparedQuery(sql).execute(args).map(Journal::first);
    }

    private static Row first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? it.next() : null;
    }
}
