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
 * <p>Each member takes its terminal's advisory lock, then does its work. A member that fails is failed alone
 * (answered 96 by its flow); the group's transaction is rolled back and the other members go again, first in
 * line, in the next group. That is cheaper than a savepoint per member (two statements and a subtransaction
 * each, on every member, for a failure that is rare), and it asks one thing of the work: that it can run again
 * (it writes only through the connection it is given; nothing it did outside the database is answered before
 * the commit). Durability is untouched: synchronous commit stays on and no member's reply leaves before its
 * group's commit. If the commit itself fails, every member fails and none is answered with an approval.
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
    private long rerun;
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

    /** Members that went again because another member of their group failed. */
    public long rerun() {
        return rerun;
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
        List<Future<?>> checked = new ArrayList<>(); // BEGIN's result, checked before COMMIT
        // plain BEGIN/COMMIT, not the client's Transaction object: a failing member must not fail the others. BEGIN
        // and each member's lock and first statements go out without waiting for the one before (the connection
        // keeps their order); results are checked before COMMIT.
        pool.getConnection().compose(conn -> {
                    checked.add(conn.query("begin").execute());
                    return run(conn, group, 0, results)
                            .compose(v -> Future.all(checked))
                            .compose(v -> conn.query("commit").execute())
                            .<Void>transform(ar -> ar.succeeded() ? Future.succeededFuture()
                                    : conn.query("rollback").execute().transform(ignored -> Future.failedFuture(ar.cause())))
                            .eventually(conn::close);
                })
                .onComplete(ar -> {
                    inFlight--;
                    if (ar.failed() && ar.cause() instanceof MemberFailed failed) {
                        // that member is failed alone; nothing of the others was committed: they go again, first
                        group.get(failed.index).promise().fail(failed.getCause());
                        List<Member> again = new ArrayList<>(group);
                        again.remove(failed.index);
                        rerun += again.size();
                        pending.addAll(0, again);
                        flush();
                        return;
                    }
                    groups++;
                    members += group.size();
                    if (ar.succeeded()) {
                        observer.accept(group.size(), System.nanoTime() - began);
                    }
                    for (int i = 0; i < group.size(); i++) {
                        Promise<Object> p = group.get(i).promise();
                        if (ar.failed()) {
                            p.fail(ar.cause());
                        } else {
                            p.complete(results[i]);
                        }
                    }
                    flush();
                });
    }

    /** A member's failure, which ends its group's transaction; {@code index} is its place in the group. */
    private static final class MemberFailed extends RuntimeException {
        final int index;

        MemberFailed(int index, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.index = index;
        }
    }

    /** Members one after the other, each under its terminal's lock; the first to fail ends the group. */
    private Future<Void> run(SqlConnection conn, List<Member> group, int i, Object[] results) {
        if (i == group.size()) {
            return Future.succeededFuture();
        }
        Member m = group.get(i);
        Future<?> locked = conn.preparedQuery("select pg_advisory_xact_lock(hashtext($1))").execute(Tuple.of(m.tid()));
        Future<Object> work;
        try {
            work = m.work().apply(conn);
        } catch (RuntimeException e) { // a flow's bug fails its own request, not its group
            work = Future.failedFuture(e);
        }
        Future<Object> done = work;
        return Future.all(locked, work).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(new MemberFailed(i, ar.cause()));
            }
            results[i] = done.result();
            return run(conn, group, i + 1, results);
        });
    }
}
