package org.posfleet.host.ledger;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit for one event loop: postings that arrive while a group is being written join the next group,
 * and a group is one PostgreSQL transaction with one commit (one WAL flush) for all its members. Under light
 * load a group has one member and nothing waits; under heavy load the groups grow by themselves.
 *
 * <p>Each member runs in its own savepoint after taking its terminal's advisory lock: a member that fails
 * rolls back alone and is answered 96, the others commit. Durability is untouched: synchronous commit stays
 * on and no member's reply leaves before its group's commit. If the commit itself fails, every member fails
 * and none is answered with an approval.
 *
 * <p>Not thread-safe: used from its event loop only.
 */
public final class CommitGroup {

    private record Member(String tid, Function<SqlConnection, Future<Object>> work, Promise<Object> promise) {
    }

    private final Pool pool;
    private final int maxGroupsInFlight;
    private final int maxMembers;
    private List<Member> pending = new ArrayList<>();
    private int inFlight;
    private long groups;
    private long members;
    private java.util.function.BiConsumer<Integer, Long> observer = (n, nanos) -> { };

    /** Hears of every committed group: its size and how long its transaction took. */
    public CommitGroup observe(java.util.function.BiConsumer<Integer, Long> o) {
        this.observer = o;
        return this;
    }

    /**
     * @param maxGroupsInFlight transactions this event loop may have open at once
     * @param maxMembers        the largest group
     */
    public CommitGroup(Pool pool, int maxGroupsInFlight, int maxMembers) {
        this.pool = pool;
        this.maxGroupsInFlight = maxGroupsInFlight;
        this.maxMembers = maxMembers;
    }

    /** Runs {@code work} under the terminal's lock in the next group; completes after the group commits. */
    @SuppressWarnings("unchecked")
    public <T> Future<T> submit(String tid, Function<SqlConnection, Future<T>> work) {
        Promise<Object> p = Promise.promise();
        pending.add(new Member(tid, c -> (Future<Object>) work.apply(c), p));
        flush();
        return (Future<T>) p.future();
    }

    /** Average members per committed group so far: how much batching the load gave. */
    public double averageGroupSize() {
        return groups == 0 ? 0 : (double) members / groups;
    }

    /** Starts groups while there is work and a free place in flight. */
    private void flush() {
        while (inFlight < maxGroupsInFlight && !pending.isEmpty()) {
            start();
        }
    }

    private void start() {
        List<Member> group;
        if (pending.size() <= maxMembers) {
            group = pending;
            pending = new ArrayList<>();
        } else {
            group = new ArrayList<>(pending.subList(0, maxMembers));
            pending = new ArrayList<>(pending.subList(maxMembers, pending.size()));
        }
        inFlight++;
        long began = System.nanoTime();
        Object[] results = new Object[group.size()];
        Throwable[] failures = new Throwable[group.size()];
        List<Future<?>> released = new ArrayList<>(); // BEGIN and each member's RELEASE, checked before COMMIT
        // plain BEGIN/COMMIT, not the client's Transaction object: that one rolls the whole transaction back on
        // the first failed statement, and a failing member must roll back to its savepoint only. Statements are
        // pipelined: BEGIN, each member's SAVEPOINT, lock and first reads, and its RELEASE go out without waiting
        // for the one before (the connection keeps their order); results are checked before COMMIT.
        pool.getConnection().compose(conn -> {
                    released.add(conn.query("begin").execute());
                    return run(conn, group, 0, results, failures, released)
                            .compose(v -> Future.all(released))
                            .compose(v -> conn.query("commit").execute())
                            .<Void>transform(ar -> ar.succeeded() ? Future.succeededFuture()
                                    : conn.query("rollback").execute().transform(ignored -> Future.failedFuture(ar.cause())))
                            .eventually(conn::close);
                })
                .onComplete(ar -> {
                    inFlight--;
                    groups++;
                    members += group.size();
                    if (ar.succeeded()) {
                        observer.accept(group.size(), System.nanoTime() - began);
                    }
                    for (int i = 0; i < group.size(); i++) {
                        Promise<Object> p = group.get(i).promise();
                        if (ar.failed()) {
                            p.fail(ar.cause());
                        } else if (failures[i] != null) {
                            p.fail(failures[i]);
                        } else {
                            p.complete(results[i]);
                        }
                    }
                    flush();
                });
    }

    /** Members one after the other, each in its savepoint; a member's failure rolls back that member only. */
    private Future<Void> run(SqlConnection conn, List<Member> group, int i, Object[] results, Throwable[] failures, List<Future<?>> released) {
        if (i == group.size()) {
            return Future.succeededFuture();
        }
        Member m = group.get(i);
        // a group of one needs no savepoint: its member failing rolls the transaction back, and that is all
        boolean alone = group.size() == 1;
        Future<?> savepoint = alone ? Future.succeededFuture() : conn.query("savepoint member").execute();
        Future<?> locked = conn.preparedQuery("select pg_advisory_xact_lock(hashtext($1))").execute(Tuple.of(m.tid()));
        Future<Object> work = m.work().apply(conn);
        return Future.all(savepoint, locked, work).transform(ar -> {
            if (ar.succeeded()) {
                results[i] = work.result();
                if (!alone) {
                    released.add(conn.query("release savepoint member").execute());
                }
                return run(conn, group, i + 1, results, failures, released);
            }
            if (alone) {
                failures[i] = ar.cause();
                return Future.failedFuture(ar.cause()); // the transaction rolls back whole
            }
            failures[i] = ar.cause();
            return conn.query("rollback to savepoint member").execute().compose(v -> run(conn, group, i + 1, results, failures, released));
        });
    }
}
