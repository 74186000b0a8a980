package org.posfleet.host.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.host.security.SessionKeys;
import org.posfleet.host.security.WrappedKey;

/** {@link TerminalStore} on PostgreSQL through the reactive pg client. */
public final class PgTerminalStore implements TerminalStore {

    private static final String SESSION_COLUMNS = "tid, key_version, sign_on_code, operator_no, pik_block, mak_block, tdk_block, issued_at, uses";
    private static final String SESSION_COLUMNS_OF_S = java.util.Arrays.stream(SESSION_COLUMNS.split(", ")).map(c -> "s." + c)
            .collect(java.util.stream.Collectors.joining(", "));

    private final Pool pool;

    public PgTerminalStore(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Future<Terminal> terminal(String tid) {
        return one(pool, "select t.tid, t.mid, t.device_serial, t.status, t.batch_no, m.status = 'active' from terminal t"
                + " join merchant m on m.mid = t.mid where t.tid = $1", Tuple.of(tid))
                .map(r -> r == null ? null : new Terminal(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getInteger(4), r.getBoolean(5)));
    }

    @Override
    public Future<WrappedKey> tmk(String tid, String state) {
        return one(pool, "select key_block, check_value, suite from terminal_tmk where tid = $1 and state = $2", Tuple.of(tid, state))
                .map(r -> r == null ? null : new WrappedKey(r.getString(0), r.getString(1), CipherSuite.valueOf(r.getString(2))));
    }

    @Override
    public Future<Operator> operator(String tid, int operatorNo) {
        return one(pool, "select tid, operator_no, role, password_hash, failed_attempts, locked_at is not null from operator"
                + " where tid = $1 and operator_no = $2", Tuple.of(tid, operatorNo))
                .map(r -> r == null ? null : new Operator(r.getString(0), r.getShort(1), r.getString(2), r.getString(3),
                        r.getInteger(4), r.getBoolean(5)));
    }

    @Override
    public Future<Boolean> passwordFailed(String tid, int operatorNo, int maxFailures) {
        return passwordFailed(pool, tid, operatorNo, maxFailures);
    }

    @Override
    public Future<Boolean> passwordFailed(SqlClient c, String tid, int operatorNo, int maxFailures) {
        return one(c, "update operator set failed_attempts = failed_attempts + 1,"
                + " locked_at = case when locked_at is null and failed_attempts + 1 >= $3 then now() else locked_at end,"
                + " updated_at = now() where tid = $1 and operator_no = $2 returning failed_attempts >= $3",
                Tuple.of(tid, operatorNo, maxFailures)).map(r -> r != null && r.getBoolean(0));
    }

    @Override
    public Future<Void> passwordAccepted(String tid, int operatorNo) {
        return passwordAccepted(pool, tid, operatorNo);
    }

    @Override
    public Future<Void> passwordAccepted(SqlClient c, String tid, int operatorNo) {
        return c.preparedQuery("update operator set failed_attempts = 0, updated_at = now() where tid = $1 and operator_no = $2"
                + " and failed_attempts <> 0").execute(Tuple.of(tid, operatorNo)).mapEmpty();
    }

    @Override
    public Future<Session> startSession(String tid, int signOnCode, int operatorNo, SessionKeys keys) {
        return one(pool, "insert into terminal_session (tid, key_version, sign_on_code, operator_no, pik_block, mak_block, tdk_block,"
                + " issued_at, uses) values ($1, nextval('key_version_seq'), $2, $3, $4, $5, $6, now(), 0)"
                + " on conflict (tid) do update set key_version = excluded.key_version, sign_on_code = excluded.sign_on_code,"
                + " operator_no = excluded.operator_no, pik_block = excluded.pik_block, mak_block = excluded.mak_block,"
                + " tdk_block = excluded.tdk_block, issued_at = excluded.issued_at, uses = 0 returning " + SESSION_COLUMNS,
                Tuple.of(tid, signOnCode, operatorNo, keys.pik().keyBlock(), keys.mak().keyBlock(),
                        keys.tdk() == null ? null : keys.tdk().keyBlock()))
                .map(r -> session(r, 0, keys.mak().suite()));
    }

    @Override
    public Future<Session> useSession(String tid) {
        return one(pool, "update terminal_session s set uses = uses + 1 where tid = $1 returning " + SESSION_COLUMNS, Tuple.of(tid))
                .map(r -> r == null ? null : session(r, 0));
    }

    @Override
    public Future<GateRow> gate(String tid) {
        return one(pool, "select t.tid, t.mid, t.device_serial, t.status, t.batch_no, m.status = 'active', t.gate_version,"
                + " exists (select 1 from terminal_tmk k where k.tid = t.tid and k.state = 'active'), " + SESSION_COLUMNS_OF_S
                + " from terminal t join merchant m on m.mid = t.mid left join terminal_session s on s.tid = t.tid where t.tid = $1",
                Tuple.of(tid))
                .map(r -> r == null ? null : new GateRow(new Terminal(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                        r.getInteger(4), r.getBoolean(5)), r.getBoolean(7), r.getString(8) == null ? null : session(r, 8), r.getLong(6)));
    }

    @Override
    public Future<Void> addKeyUses(String[] tids, Long[] keyVersions, Long[] uses) {
        return pool.preparedQuery("update terminal_session s set uses = s.uses + d.n from unnest($1::varchar[], $2::bigint[], $3::bigint[])"
                + " as d(tid, key_version, n) where s.tid = d.tid and s.key_version = d.key_version")
                .execute(Tuple.of(tids, keyVersions, uses)).mapEmpty();
    }

    @Override
    public Future<Void> endSession(String tid) {
        return pool.preparedQuery("delete from terminal_session where tid = $1").execute(Tuple.of(tid)).mapEmpty();
    }

    @Override
    public Future<Void> storePendingTmk(String tid, WrappedKey tmk) {
        return pool.preparedQuery("insert into terminal_tmk (tid, state, key_block, check_value, suite, source)"
                + " values ($1, 'pending', $2, $3, $4, 'remote') on conflict (tid, state) do update set key_block = excluded.key_block,"
                + " check_value = excluded.check_value, suite = excluded.suite, created_at = now()")
                .execute(Tuple.of(tid, tmk.keyBlock(), tmk.checkValue(), tmk.suite().name())).mapEmpty();
    }

    @Override
    public Future<Boolean> activatePendingTmk(String tid, String checkValue) {
        return pool.withTransaction(c -> one(c, "delete from terminal_tmk where tid = $1 and state = 'pending' and check_value = $2"
                + " returning key_block, check_value, suite", Tuple.of(tid, checkValue))
                .compose(r -> {
                    if (r == null) {
                        return Future.succeededFuture(false);
                    }
                    return replaceTmk(c, tid, new WrappedKey(r.getString(0), r.getString(1), CipherSuite.valueOf(r.getString(2))), "remote")
                            .map(v -> true);
                }));
    }

    @Override
    public Future<Void> event(String tid, String event, String detail) {
        return pool.preparedQuery("insert into terminal_event (tid, event, detail) values ($1, $2, $3)")
                .execute(Tuple.of(tid, event, detail)).mapEmpty();
    }

    @Override
    public Future<Void> registerTerminal(String tid, String mid, String merchantName, String deviceSerial) {
        return pool.withTransaction(c -> c.preparedQuery("insert into merchant (mid, name) values ($1, $2) on conflict (mid) do nothing")
                .execute(Tuple.of(mid, merchantName))
                .compose(v -> c.preparedQuery("insert into terminal (tid, mid, device_serial) values ($1, $2, $3)")
                        .execute(Tuple.of(tid, mid, deviceSerial)))
                .compose(v -> c.preparedQuery("insert into terminal_event (tid, event, detail) values ($1, 'registered', $2)")
                        .execute(Tuple.of(tid, "MID " + mid + (deviceSerial == null ? "" : ", device " + deviceSerial))))
                .mapEmpty());
    }

    @Override
    public Future<Void> loadTmk(String tid, WrappedKey tmk, String source) {
        return pool.withTransaction(c -> replaceTmk(c, tid, tmk, source));
    }

    /** A new TMK makes the old working keys meaningless: the session ends with it. */
    private static Future<Void> replaceTmk(SqlClient c, String tid, WrappedKey tmk, String source) {
        return c.preparedQuery("insert into terminal_tmk (tid, state, key_block, check_value, suite, source)"
                        + " values ($1, 'active', $2, $3, $4, $5) on conflict (tid, state) do update set key_block = excluded.key_block,"
                        + " check_value = excluded.check_value, suite = excluded.suite, source = excluded.source, created_at = now()")
                .execute(Tuple.of(tid, tmk.keyBlock(), tmk.checkValue(), tmk.suite().name(), source))
                .compose(v -> c.preparedQuery("delete from terminal_session where tid = $1").execute(Tuple.of(tid)))
                .compose(v -> c.preparedQuery("insert into terminal_event (tid, event, detail) values ($1, 'tmk loaded', $2)")
                        .execute(Tuple.of(tid, source + ", " + tmk.suite() + ", check value " + tmk.checkValue())))
                .mapEmpty();
    }

    @Override
    public Future<Void> setOperator(String tid, int operatorNo, String role, String passwordHash) {
        return pool.preparedQuery("insert into operator (tid, operator_no, role, password_hash) values ($1, $2, $3, $4)"
                        + " on conflict (tid, operator_no) do update set role = excluded.role, password_hash = excluded.password_hash,"
                        + " failed_attempts = 0, locked_at = null, updated_at = now()")
                .execute(Tuple.of(tid, operatorNo, role, passwordHash)).mapEmpty();
    }

    @Override
    public Future<Boolean> removeOperator(String tid, int operatorNo) {
        return pool.preparedQuery("delete from operator where tid = $1 and operator_no = $2").execute(Tuple.of(tid, operatorNo))
                .map(rows -> rows.rowCount() > 0);
    }

    @Override
    public Future<String> setting(String name, String proposed) {
        return one(pool, "insert into host_setting (name, value) values ($1, $2) on conflict (name)"
                + " do update set name = excluded.name returning value", Tuple.of(name, proposed)).map(r -> r.getString(0));
    }

    /** A session from SESSION_COLUMNS starting at column {@code at}. */
    private static Session session(Row r, int at) {
        return session(r, at, suiteOf(r.getShort(at + 2)));
    }

    private static Session session(Row r, int at, CipherSuite suite) {
        String tdk = r.getString(at + 6);
        OffsetDateTime issued = r.getOffsetDateTime(at + 7);
        return new Session(r.getString(at), r.getLong(at + 1), r.getShort(at + 2), r.getShort(at + 3), new WrappedKey(r.getString(at + 4), "", suite),
                new WrappedKey(r.getString(at + 5), "", suite), tdk == null ? null : new WrappedKey(tdk, "", suite),
                issued.toInstant(), r.getLong(at + 8));
    }

    private static CipherSuite suiteOf(int signOnCode) {
        return org.posfleet.crypto.WorkingKeys.suiteOf(signOnCode);
    }

    private static Future<Row> one(SqlClient client, String sql, Tuple args) {
        return client.preparedQuery(sql).execute(args).map(PgTerminalStore::first);
    }

    private static Row first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? it.next() : null;
    }
}
