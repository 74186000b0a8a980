package org.posfleet.host.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.host.security.SoftwareSecurityModule;
import org.posfleet.host.security.WrappedKey;

/**
 * Host master key rotation in one transaction: every stored TMK (active and pending) re-wrapped under the new LMK,
 * every session's working keys dropped (terminals sign on again and get keys under the new LMK), and the new LMK's
 * check value recorded, so a host started with the old components refuses to start.
 */
public final class LmkRotation {

    private final Pool pool;

    public LmkRotation(Pool pool) {
        this.pool = pool;
    }

    /** Returns how many TMKs were re-wrapped. */
    public Future<Integer> rotate(SoftwareSecurityModule current, SoftwareSecurityModule next) {
        return pool.withTransaction(c -> c.query("select tid, state, key_block, check_value, suite from terminal_tmk for update").execute()
                .compose(rows -> {
                    List<Tuple> updates = new ArrayList<>();
                    for (Row r : rows) {
                        WrappedKey old = new WrappedKey(r.getString(2), r.getString(3), CipherSuite.valueOf(r.getString(4)));
                        updates.add(Tuple.of(r.getString(0), r.getString(1), current.rewrap(old, next).keyBlock()));
                    }
                    Future<Void> done = updates.isEmpty() ? Future.succeededFuture()
                            : c.preparedQuery("update terminal_tmk set key_block = $3 where tid = $1 and state = $2").executeBatch(updates).mapEmpty();
                    return done.compose(v -> c.query("delete from terminal_session").execute())
                            .compose(v -> c.preparedQuery("update host_setting set value = $1 where name = 'lmk_check_value'")
                                    .execute(Tuple.of(next.lmkCheckValue())))
                            .map(v -> updates.size());
                }));
    }
}
