package org.posfleet.host.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** What the admin API reads and changes, on PostgreSQL. Never selects a key block or a password hash. */
public final class AdminStore {

    /** A refused change: the API answers 409 with the message. */
    public static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** Answered with 404. */
    public static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    private final Pool pool;

    public AdminStore(Pool pool) {
        this.pool = pool;
    }

    public Future<JsonObject> token(String hash) {
        return one(pool, "select name, role from admin_token where token_hash = $1", Tuple.of(hash))
                .map(r -> r == null ? null : new JsonObject().put("name", r.getString(0)).put("role", r.getString(1)));
    }

    public Future<Void> createToken(String name, String hash, String role) {
        return pool.preparedQuery("insert into admin_token (name, token_hash, role) values ($1, $2, $3) on conflict (name)"
                + " do update set token_hash = excluded.token_hash, role = excluded.role").execute(Tuple.of(name, hash, role)).mapEmpty();
    }

    public Future<Void> audit(String actor, String action, String target, String before, String after) {
        return pool.preparedQuery("insert into audit_log (actor, action, target, before, after) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(actor, action, target, before, after)).mapEmpty();
    }

    public Future<JsonArray> auditLog(String target, int limit) {
        return rows(pool, "select at::text, actor, action, target, before, after from audit_log where ($1::text is null or target = $1)"
                + " order by id desc limit $2", Tuple.of(target, limit), "at", "actor", "action", "target", "before", "after");
    }

    Pool pool() {
        return pool;
    }

    public Future<JsonArray> merchants() {
        return rows(pool, "select m.mid, m.name, m.status, (select count(*) from terminal t where t.mid = m.mid) from merchant m order by m.mid",
                Tuple.tuple(), "mid", "name", "status", "terminals");
    }

    /** A merchant with its terminals; null when unknown. */
    public Future<JsonObject> merchant(String mid) {
        return rows(pool, "select mid, name, status, created_at::text from merchant where mid = $1", Tuple.of(mid), "mid", "name", "status", "createdAt")
                .compose(m -> m.isEmpty() ? Future.succeededFuture(null)
                        : terminals(mid, null, 10_000).map(t -> m.getJsonObject(0).put("terminals", t)));
    }

    /** A disabled merchant's terminals are refused (03) until it is enabled again. */
    public Future<Void> setMerchantStatus(String mid, String status) {
        return pool.preparedQuery("update merchant set status = $2 where mid = $1").execute(Tuple.of(mid, status))
                .compose(r -> r.rowCount() == 0 ? Future.failedFuture(new NotFound("no merchant " + mid)) : Future.succeededFuture());
    }

    public Future<Void> createMerchant(String mid, String name) {
        return pool.preparedQuery("insert into merchant (mid, name) values ($1, $2)").execute(Tuple.of(mid, name))
                .recover(e -> Future.failedFuture(new Conflict("merchant " + mid + " exists"))).mapEmpty();
    }

    public Future<JsonArray> terminals(String mid, String tid, int limit) {
        return rows(pool, "select t.tid, t.mid, t.device_serial, t.status, t.batch_no,"
                + " exists (select 1 from terminal_tmk k where k.tid = t.tid and k.state = 'active'),"
                + " exists (select 1 from terminal_session s where s.tid = t.tid)"
                + " from terminal t where ($1::text is null or t.mid = $1) and ($2::text is null or t.tid = $2) order by t.tid limit $3",
                Tuple.of(mid, tid, limit), "tid", "mid", "deviceSerial", "status", "batch", "tmkLoaded", "signedOn");
    }

    /** A terminal with its TMK check value, session and history; null when unknown. */
    public Future<JsonObject> terminal(String tid) {
        return terminals(null, tid, 1).map(one -> one.isEmpty() ? null : one.getJsonObject(0)).compose(t -> t == null ? Future.succeededFuture(null)
                : one(pool, "select check_value, suite, source from terminal_tmk where tid = $1 and state = 'active'", Tuple.of(tid))
                        .map(k -> k == null ? t : t.put("tmk", new JsonObject().put("checkValue", k.getString(0).substring(0, 6))
                                .put("suite", k.getString(1)).put("source", k.getString(2))))
                        .compose(x -> rows(pool, "select at::text, event, detail from terminal_event where tid = $1 order by id desc limit 50",
                                Tuple.of(tid), "at", "event", "detail").map(h -> t.put("history", h)))
                        .compose(x -> rows(pool, "select operator_no, role, failed_attempts, locked_at is not null from operator where tid = $1"
                                + " order by operator_no", Tuple.of(tid), "operator", "role", "failedAttempts", "locked").map(o -> t.put("operators", o))));
    }

    public Future<Void> setStatus(String tid, String status) {
        return pool.withTransaction(c -> c.preparedQuery("update terminal set status = $2, updated_at = now() where tid = $1")
                .execute(Tuple.of(tid, status)).compose(r -> r.rowCount() == 0 ? Future.failedFuture(new NotFound("no terminal " + tid))
                        : event(c, tid, "status " + status, "")));
    }

    /**
     * Unbinds a broken or lost device: its serial is revoked for good, the terminal's keys (TMK and working keys)
     * are destroyed. Returns the serial that was bound.
     */
    public Future<String> unbind(String tid, String reason) {
        return pool.withTransaction(c -> one(c, "select device_serial from terminal where tid = $1 for update", Tuple.of(tid)).compose(r -> {
            if (r == null) {
                return Future.failedFuture(new Conflict("no terminal " + tid));
            }
            String serial = r.getString(0);
            if (serial == null) {
                return Future.failedFuture(new Conflict("terminal " + tid + " has no device bound"));
            }
            return c.preparedQuery("insert into revoked_device (device_serial, tid, reason) values ($1, $2, $3) on conflict do nothing")
                    .execute(Tuple.of(serial, tid, reason))
                    .compose(v -> c.preparedQuery("update terminal set device_serial = null, updated_at = now() where tid = $1").execute(Tuple.of(tid)))
                    .compose(v -> c.preparedQuery("delete from terminal_tmk where tid = $1").execute(Tuple.of(tid)))
                    .compose(v -> c.preparedQuery("delete from terminal_session where tid = $1").execute(Tuple.of(tid)))
                    .compose(v -> event(c, tid, "unbound", "device " + serial + " revoked (" + reason + "); keys destroyed"))
                    .map(v -> serial);
        }));
    }

    /** Binds a device; a revoked serial or one bound elsewhere is refused. The new device needs a TMK before it signs on. */
    public Future<Void> bind(String tid, String serial) {
        return pool.withTransaction(c -> one(c, "select 1 from revoked_device where device_serial = $1", Tuple.of(serial)).compose(rev -> {
            if (rev != null) {
                return Future.failedFuture(new Conflict("device " + serial + " was unbound and is revoked"));
            }
            return one(c, "select device_serial from terminal where tid = $1 for update", Tuple.of(tid)).compose(t -> {
                if (t == null) {
                    return Future.failedFuture(new Conflict("no terminal " + tid));
                }
                if (t.getString(0) != null) {
                    return Future.failedFuture(new Conflict("terminal " + tid + " is bound to " + t.getString(0) + ": unbind it first"));
                }
                return c.preparedQuery("update terminal set device_serial = $2, updated_at = now() where tid = $1").execute(Tuple.of(tid, serial))
                        .recover(e -> Future.failedFuture(new Conflict("device " + serial + " is bound to another terminal")))
                        .compose(v -> event(c, tid, "bound", "device " + serial));
            });
        }));
    }

    /** Destroys the terminal's keys (TMK and session): it needs a new TMK. */
    public Future<Void> resetKeys(String tid) {
        return pool.withTransaction(c -> exists(c, tid).compose(v -> c.preparedQuery("delete from terminal_tmk where tid = $1").execute(Tuple.of(tid)))
                .compose(v -> c.preparedQuery("delete from terminal_session where tid = $1").execute(Tuple.of(tid)))
                .compose(v -> event(c, tid, "keys reset", "TMK and working keys destroyed")));
    }

    /** Ends the session: the terminal's next MACed message is asked to sign on again. */
    public Future<Void> forceSignOn(String tid) {
        return pool.withTransaction(c -> exists(c, tid).compose(v -> c.preparedQuery("delete from terminal_session where tid = $1").execute(Tuple.of(tid)))
                .compose(v -> event(c, tid, "sign-on forced", "")));
    }

    private static Future<Void> exists(SqlClient c, String tid) {
        return one(c, "select 1 from terminal where tid = $1 for update", Tuple.of(tid))
                .compose(r -> r == null ? Future.failedFuture(new NotFound("no terminal " + tid)) : Future.succeededFuture());
    }

    public Future<Void> unlockOperator(String tid, int operator) {
        return pool.preparedQuery("update operator set failed_attempts = 0, locked_at = null, updated_at = now() where tid = $1 and operator_no = $2")
                .execute(Tuple.of(tid, operator)).compose(r -> r.rowCount() == 0
                        ? Future.failedFuture(new NotFound("terminal " + tid + " has no operator " + operator)) : Future.succeededFuture());
    }

    /** Transactions, newest first, by terminal, batch, RRN and day range (inclusive, the host's time zone); each filter optional. */
    public Future<JsonArray> transactions(String tid, Integer batch, String rrn, java.time.LocalDate from, java.time.LocalDate to, int limit) {
        return rows(pool, "select id, tid, mid, batch_no, stan, kind, pan_masked, amount, rrn, auth_code, response_code, status, original_id,"
                + " created_at::text from journal where ($1::text is null or tid = $1) and ($2::int is null or batch_no = $2)"
                + " and ($3::text is null or rrn = $3) and ($4::date is null or created_at >= $4::date)"
                + " and ($5::date is null or created_at < $5::date + 1) and message_class in (1, 2, 4) order by id desc limit $6",
                Tuple.of(tid, batch, rrn, from, to).addInteger(limit), "id", "tid", "mid", "batch", "stan", "kind", "pan", "amount", "rrn", "authCode",
                "responseCode", "status", "originalId", "at");
    }

    /** One journal entry with what it points at (its original) and what points at it (voids, refunds, reversals). */
    public Future<JsonObject> transaction(long id) {
        String cols = "id, tid, mid, batch_no, stan, kind, pan_masked, amount, rrn, auth_code, response_code, status, original_id, created_at::text";
        String[] names = {"id", "tid", "mid", "batch", "stan", "kind", "pan", "amount", "rrn", "authCode", "responseCode", "status",
                "originalId", "at"};
        return rows(pool, "select " + cols + " from journal where id = $1", Tuple.of(id), names).compose(one -> {
            if (one.isEmpty()) {
                return Future.succeededFuture(null);
            }
            JsonObject t = one.getJsonObject(0);
            return rows(pool, "select " + cols + " from journal where original_id = $1 order by id", Tuple.of(id), names)
                    .map(children -> t.put("linked", children))
                    .compose(x -> rows(pool, "select id, is_current, length(image), uploaded_at::text from signature where journal_id = $1 order by id",
                            Tuple.of(id), "id", "current", "bytes", "uploadedAt").map(sig -> t.put("signatures", sig)));
        });
    }

    /** A signature image as uploaded (62), or null. */
    public Future<byte[]> signatureImage(long signatureId) {
        return one(pool, "select image from signature where id = $1", Tuple.of(signatureId))
                .map(r -> r == null ? null : r.getBuffer(0).getBytes());
    }

    public Future<JsonArray> batches(String tid, int limit) {
        return rows(pool, "select tid, batch_no, status, host_totals, terminal_totals, balanced, settled_at::text from batch"
                + " where ($1::text is null or tid = $1) order by settled_at desc nulls first limit $2", Tuple.of(tid, limit),
                "tid", "batch", "status", "hostTotals", "terminalTotals", "balanced", "settledAt");
    }

    /** The open batch of a terminal: what the host counts so far (debits and credits posted). */
    public Future<JsonObject> openBatch(String tid) {
        return one(pool, "select t.batch_no, coalesce(sum(j.amount) filter (where j.kind in ('SALE', 'COMPLETION')), 0),"
                + " count(j.*) filter (where j.kind in ('SALE', 'COMPLETION')), coalesce(sum(j.amount) filter (where j.kind = 'REFUND'), 0),"
                + " count(j.*) filter (where j.kind = 'REFUND') from terminal t left join journal j on j.tid = t.tid and j.batch_no = t.batch_no"
                + " and j.status in ('posted', 'completed') where t.tid = $1 group by t.batch_no", Tuple.of(tid))
                .map(r -> r == null ? null : new JsonObject().put("tid", tid).put("batch", r.getInteger(0)).put("debitAmount", r.getLong(1))
                        .put("debitCount", r.getLong(2)).put("creditAmount", r.getLong(3)).put("creditCount", r.getLong(4)));
    }

    public Future<JsonArray> recentSignOns(int limit) {
        return rows(pool, "select at::text, tid, detail from terminal_event where event = 'signed on' order by id desc limit $1",
                Tuple.of(limit), "at", "tid", "detail");
    }

    public Future<JsonArray> lockedOperators() {
        return rows(pool, "select tid, operator_no, role, locked_at::text from operator where locked_at is not null order by locked_at desc limit 100",
                Tuple.tuple(), "tid", "operator", "role", "lockedAt");
    }

    private static Future<Void> event(SqlClient c, String tid, String event, String detail) {
        return c.preparedQuery("insert into terminal_event (tid, event, detail) values ($1, $2, $3)").execute(Tuple.of(tid, event, detail))
                .mapEmpty();
    }

    private static Future<JsonArray> rows(SqlClient c, String sql, Tuple args, String... names) {
        return c.preparedQuery(sql).execute(args).map(rows -> {
            JsonArray out = new JsonArray();
            for (Row r : rows) {
                JsonObject o = new JsonObject();
                for (int i = 0; i < names.length; i++) {
                    Object v = r.getValue(i);
                    o.put(names[i], v instanceof Short sh ? Integer.valueOf(sh) : v);
                }
                out.add(o);
            }
            return out;
        });
    }

    private static Future<Row> one(SqlClient c, String sql, Tuple args) {
        return c.preparedQuery(sql).execute(args).map(AdminStore::first);
    }

    private static Row first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? it.next() : null;
    }
}
