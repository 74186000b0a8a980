package org.posfleet.host.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.posfleet.host.security.SecurityModule;

/**
 * Host master key rotation, on a running host or a stopped one. Every stored key block (TMKs active and pending,
 * the working keys of every session, the PIN verification key) is wrapped again under the new LMK and the new
 * LMK's check value recorded, in one transaction; terminals keep their sessions.
 *
 * <p>Keys made while it runs (sign-ons, TMK loads) already go under the new LMK (see
 * {@link SecurityModule#beginLmkRotation}); a block written under the old LMK by work that began just before the
 * rotation and committed just after its first pass is caught by a sweep, repeated until it finds none, before the
 * old LMK is forgotten. If the first pass fails, the host keeps both LMKs and the same rotation can be run again.
 */
public final class LmkRotation {

    /** What a rotation did. */
    public record Result(String fromCheckValue, String toCheckValue, int tmks, int sessions) {
    }

    private static final int MAX_SWEEPS = 5;

    private final Vertx vertx;
    private final Pool pool;

    public LmkRotation(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    public Future<Result> rotate(SecurityModule sm, List<byte[]> newComponents) {
        String from = sm.lmkCheckValue();
        String to;
        try {
            to = sm.beginLmkRotation(newComponents);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return pool.withTransaction(c -> pass(c, sm).compose(counts -> c.preparedQuery(
                        "update host_setting set value = $1 where name = 'lmk_check_value'").execute(Tuple.of(to)).map(counts)))
                .compose(counts -> sweep(sm, 0).map(v -> {
                    sm.finishLmkRotation();
                    return new Result(from, to, counts[0], counts[1]);
                }));
    }

    private Future<Void> sweep(SecurityModule sm, int round) {
        return pool.withTransaction(c -> pass(c, sm)).compose(counts -> {
            if (counts[0] + counts[1] + counts[2] == 0) {
                return Future.succeededFuture();
            }
            if (round + 1 >= MAX_SWEEPS) {
                return Future.failedFuture(new IllegalStateException("key blocks under the old LMK keep appearing; rotation left open"));
            }
            return sweep(sm, round + 1);
        });
    }

    /** Re-wraps every block not yet under the new LMK; returns {TMKs, sessions, PVK} changed. */
    private Future<int[]> pass(SqlConnection c, SecurityModule sm) {
        int[] counts = new int[3];
        return c.query("select tid, state, key_block from terminal_tmk for update").execute()
                .compose(rows -> rewrap(sm, rows, 2, 2).compose(blocks -> {
                    List<Tuple> updates = new ArrayList<>();
                    int i = 0;
                    for (Row r : rows) {
                        String[] b = blocks.get(i++);
                        if (b != null) {
                            updates.add(Tuple.of(r.getString(0), r.getString(1), b[0]));
                        }
                    }
                    counts[0] = updates.size();
                    return updates.isEmpty() ? Future.succeededFuture()
                            : c.preparedQuery("update terminal_tmk set key_block = $3 where tid = $1 and state = $2").executeBatch(updates).mapEmpty();
                }))
                .compose(v -> c.query("select tid, pik_block, mak_block, tdk_block from terminal_session for update").execute())
                .compose(rows -> rewrap(sm, rows, 1, 3).compose(blocks -> {
                    List<Tuple> updates = new ArrayList<>();
                    int i = 0;
                    for (Row r : rows) {
                        String[] b = blocks.get(i++);
                        if (b != null) {
                            updates.add(Tuple.of(r.getString(0), b[0], b[1], b[2]));
                        }
                    }
                    counts[1] = updates.size();
                    return updates.isEmpty() ? Future.succeededFuture()
                            : c.preparedQuery("update terminal_session set pik_block = $2, mak_block = $3, tdk_block = $4 where tid = $1")
                                    .executeBatch(updates).mapEmpty();
                }))
                .compose(v -> c.query("select value from host_setting where name = 'pvk_block' for update").execute())
                .compose(rows -> rewrap(sm, rows, 0, 1).compose(blocks -> {
                    if (blocks.isEmpty() || blocks.get(0) == null) {
                        return Future.succeededFuture();
                    }
                    counts[2] = 1;
                    return c.preparedQuery("update host_setting set value = $1 where name = 'pvk_block'").execute(Tuple.of(blocks.get(0)[0])).mapEmpty();
                }))
                .map(v -> counts);
    }

    /**
     * For each row, the blocks in columns {@code first .. first+n-1} under the new LMK, or null for a row whose
     * blocks all are already; off the event loop, since a large fleet has tens of thousands of blocks.
     */
    private Future<List<String[]>> rewrap(SecurityModule sm, Iterable<Row> rows, int first, int n) {
        List<String[]> in = new ArrayList<>();
        for (Row r : rows) {
            String[] b = new String[n];
            for (int k = 0; k < n; k++) {
                b[k] = r.getString(first + k);
            }
            in.add(b);
        }
        return vertx.executeBlocking(() -> {
            List<String[]> out = new ArrayList<>(in.size());
            for (String[] b : in) {
                String[] w = new String[n];
                boolean changed = false;
                for (int k = 0; k < n; k++) {
                    w[k] = b[k] == null ? null : sm.rewrapUnderNewLmk(b[k]);
                    changed |= w[k] != null && !w[k].equals(b[k]);
                }
                out.add(changed ? w : null);
            }
            return out;
        }, false);
    }
}
