package org.posfleet.host.ledger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Group commit for one event loop: postings that arrive while groups are being written join the next group, and a
 * group is one PostgreSQL transaction with one commit (one WAL flush) for all its members. Under light load a group
 * has one member and nothing waits; under heavy load the groups grow by themselves.
 *
 * <p>A group takes the locks of all its members' terminals and of the cards they charge in one statement (in a fixed
 * order, so that groups on other event loops never wait on each other in a cycle), then runs its members side by side: their openings go to the
 * database as one statement and their journal rows as another ({@link GroupTransaction}), so a group of N sales
 * costs about as many statements as one. That is safe because a group holds at most one posting per terminal and
 * per card it charges: no member reads what another writes. A posting whose terminal or card is already in the
 * group waits for the next one.
 *
 * <p>A member that fails is failed alone (answered 96 by its flow); the group's transaction is rolled back and the
 * other members go again, first in line, in the next group. When a statement members shared fails, no one member
 * can be blamed: they go again one per group, and the one that fails alone is the culprit. That asks one thing of
 * the work: that it can run again (it writes only through the transaction it is given; nothing it did outside the
 * database is answered before the commit). Durability is untouched: synchronous commit stays on and no member's
 * reply leaves before its group's commit. If the commit itself fails, every member fails and none is approved.
 *
 * <p>Not thread-safe: used from its event loop only.
 */
public final class CommitGroup {

    /** PostgreSQL's "current transaction is aborted": a statement that failed only because an earlier one did. */
    private static final String ABORTED = "25P02";
    /** The first key of the cards' advisory locks. */
    private static final int CARD_LOCKS = 1;

    private static final class Member {
        final String tid;
        final String pan;
        final Function<GroupTransaction, Future<Object>> work;
        final Promise<Object> promise;
        /** To run in a group of its own: it was in a group whose shared statement failed. */
        boolean alone;

        Member(String tid, String pan, Function<GroupTransaction, Future<Object>> work, Promise<Object> promise) {
            this.tid = tid;
            this.pan = pan;
            this.work = work;
            this.promise = promise;
        }
    }

    private final Pool pool;
    private final Journal journal;
    private final int maxGroupsInFlight;
    private final int maxMembers;
    private final int overlapBelow;
    private List<Member> pending = new ArrayList<>();
    /** Groups running their members' statements (with overlap: those whose COMMIT has not gone out yet). */
    private int inFlight;
    /** With overlap: groups whose COMMIT has gone out, waiting for their WAL flush. */
    private int committing;
    private long groups;
    private long members;
    private long rerun;
    private BiConsumer<Integer, Long> observer = (n, nanos) -> { };

    /**
     * @param maxGroupsInFlight transactions this event loop may have open at once
     * @param maxMembers        the largest group
     */
    public CommitGroup(Journal journal, int maxGroupsInFlight, int maxMembers) {
        this(journal, maxGroupsInFlight, maxMembers, 0);
    }

    /**
     * @param overlapBelow a group whose COMMIT has gone out gives its place to the next group, whose statements then run
     *                     during its WAL flush, when fewer postings than this are waiting (0: never); as many groups
     *                     again may wait for their flush. Postings that find more waiting wait for the flush with them
     *                     and go as one larger group: a group costs the database about as much as eight postings, so
     *                     under load fewer, larger groups leave more CPU for everything else, while a posting that
     *                     comes alone still does not wait for another's flush. Above 0, a full group ({@code maxMembers})
     *                     never waits either, beside groups running or committing (up to twice {@code maxGroupsInFlight}
     *                     transactions): it cannot grow, and waiting would cap the loop at a full group per cycle
     */
    public CommitGroup(Journal journal, int maxGroupsInFlight, int maxMembers, int overlapBelow) {
        this.journal = journal;
        this.pool = journal.pool();
        this.maxGroupsInFlight = maxGroupsInFlight;
        this.maxMembers = maxMembers;
        this.overlapBelow = overlapBelow;
    }

    /** Hears of every committed group: its size and how long its transaction took. */
    public CommitGroup observe(BiConsumer<Integer, Long> o) {
        this.observer = o;
        return this;
    }

    /** Runs {@code work} under the terminal's lock in the next group; completes after the group commits. */
    public <T> Future<T> submit(String tid, Function<GroupTransaction, Future<T>> work) {
        return submit(tid, null, work);
    }

    /**
     * As {@link #submit(String, Function)} for a posting that reads a card's balance to decide ({@code pan}): no other
     * posting charging that card shares its group.
     */
    @SuppressWarnings("unchecked")
    public <T> Future<T> submit(String tid, String pan, Function<GroupTransaction, Future<T>> work) {
        Promise<Object> p = Promise.promise();
        pending.add(new Member(tid, pan, tx -> (Future<Object>) work.apply(tx), p));
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

    /**
     * Starts groups while there is work and a place for them ({@link #mayStart}).
     */
    private void flush() {
        while (!pending.isEmpty() && mayStart()) {
            start(take());
        }
    }

    /**
     * At most twice {@code maxGroupsInFlight} transactions at once. Below {@code maxGroupsInFlight} running, the next
     * group starts unless one waits for its flush and waiting would make it larger. With overlap, a full group also
     * starts beside the ones running: it cannot grow by waiting, and the database then executes one group's statements
     * while this loop decides another's postings, where one group at a time leaves each idle while the other works.
     * That matters past saturation and after a stall, when more than a full group waits (at 7,000/s on one loop, groups
     * of about 50 came about every 7 ms). Capacity at the 50 ms cut measured the same within the noise
     * (docs/performance.md, run 17).
     */
    private boolean mayStart() {
        if (inFlight + committing >= 2L * maxGroupsInFlight) {
            return false;
        }
        boolean full = pending.size() >= maxMembers;
        if (inFlight < maxGroupsInFlight) {
            return committing == 0 || pending.size() < overlapBelow || full;
        }
        return overlapBelow > 0 && full;
    }

    /** The next group: pending members in order, skipping those whose terminal or card is already in it. */
    private List<Member> take() {
        List<Member> group = new ArrayList<>();
        if (pending.get(0).alone) {
            group.add(pending.remove(0));
            return group;
        }
        Set<String> tids = new HashSet<>();
        Set<String> pans = new HashSet<>();
        List<Member> left = new ArrayList<>();
        for (Member m : pending) {
            boolean fits = group.size() < maxMembers && !m.alone && !tids.contains(m.tid) && (m.pan == null || !pans.contains(m.pan));
            if (fits) {
                group.add(m);
                tids.add(m.tid);
                if (m.pan != null) {
                    pans.add(m.pan);
                }
            } else {
                left.add(m);
            }
        }
        pending = left;
        return group;
    }

    private void start(List<Member> group) {
        inFlight++;
        boolean[] committed = {false};
        Runnable committingNow = overlapBelow == 0 ? () -> { } : () -> {
            committed[0] = true;
            inFlight--;
            committing++;
            flush();
        };
        long began = System.nanoTime();
        Context context = io.vertx.core.Vertx.currentContext();
        List<Future<Object>> outcomes = new ArrayList<>(group.size());
        List<Future<?>> own = new ArrayList<>(2); // BEGIN and the locks
        // plain BEGIN/COMMIT, not the client's Transaction object: a failing member must not fail the others. BEGIN,
        // the locks and the members' statements go out without waiting for one another (the connection keeps their
        // order); every outcome is known before COMMIT or ROLLBACK.
        pool.getConnection().compose(conn -> {
                    own.add(conn.query("begin").execute());
                    own.add(lock(conn, group));
                    GroupTransaction tx = new GroupTransaction(conn, journal, context, group.size(), committingNow);
                    for (Member m : group) {
                        Future<Object> work;
                        try {
                            work = m.work.apply(tx);
                        } catch (RuntimeException e) { // a flow's bug fails its own request, not its group
                            work = Future.failedFuture(e);
                        }
                        outcomes.add(work);
                    }
                    List<Future<?>> all = new ArrayList<>(own);
                    all.addAll(outcomes);
                    return Future.join(all).<Void>transform(ar -> {
                                Future<?> sent = tx.commitSent();
                                if (ar.succeeded()) { // every statement succeeded: the COMMIT, sent already or now, commits
                                    return (sent != null ? sent : conn.query("commit").execute()).mapEmpty();
                                }
                                // a statement failed: a COMMIT already sent ended the transaction with a rollback
                                Future<?> ended = sent != null ? sent : conn.query("rollback").execute();
                                return ended.transform(ignored -> Future.failedFuture(new GroupFailed()));
                            })
                            .eventually(conn::close);
                })
                .onComplete(ar -> {
                    if (committed[0]) {
                        committing--;
                    } else {
                        inFlight--;
                    }
                    if (ar.succeeded()) {
                        groups++;
                        members += group.size();
                        observer.accept(group.size(), System.nanoTime() - began);
                        for (int i = 0; i < group.size(); i++) {
                            group.get(i).promise.complete(outcomes.get(i).result());
                        }
                    } else if (ar.cause() instanceof GroupFailed && outcomes.size() == group.size()) {
                        settleFailed(group, outcomes, own);
                    } else { // no connection, or the commit failed: nobody's work is known to be durable
                        for (Member m : group) {
                            m.promise.fail(ar.cause());
                        }
                    }
                    flush();
                });
    }

    /**
     * A group rolled back: members that failed by themselves are failed; the others go again, first in line, and
     * alone when what failed was shared (a shared statement, BEGIN or the locks) and nobody can be blamed.
     */
    private void settleFailed(List<Member> group, List<Future<Object>> outcomes, List<Future<?>> own) {
        Throwable groupCause = own.stream().filter(Future::failed).map(Future::cause).filter(c -> !aborted(c)).findFirst().orElse(null);
        if (group.size() == 1) {
            Future<Object> o = outcomes.get(0);
            group.get(0).promise.fail(groupCause != null ? groupCause : o.failed() ? unwrap(o.cause()) : new IllegalStateException("rolled back"));
            return;
        }
        boolean blamed = outcomes.stream().anyMatch(o -> o.failed() && !aborted(o.cause()) && !shared(o.cause()));
        List<Member> again = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            Member m = group.get(i);
            Future<Object> o = outcomes.get(i);
            if (o.failed() && !aborted(o.cause()) && !shared(o.cause())) {
                m.promise.fail(o.cause());
                continue;
            }
            m.alone = !blamed;
            again.add(m);
        }
        rerun += again.size();
        pending.addAll(0, again);
    }

    /**
     * The advisory locks of the group's terminals (one-key locks, as {@link Journal#inTerminalTransaction} takes) and
     * of the cards its members charge (two-key locks, a space of their own): all terminals' in hash order, then all
     * cards', in one statement. A card's lock stands in for a row lock on it: it writes no WAL, and the opening
     * reads the card as of after the lock.
     */
    private static Future<?> lock(SqlConnection conn, List<Member> group) {
        String[] tids = new String[group.size()];
        List<String> pans = new ArrayList<>(group.size());
        for (int i = 0; i < tids.length; i++) {
            tids[i] = group.get(i).tid;
            if (group.get(i).pan != null) {
                pans.add(group.get(i).pan);
            }
        }
        return conn.preparedQuery("select count(case when card then pg_advisory_xact_lock(" + CARD_LOCKS + ", h) else pg_advisory_xact_lock(h) end)"
                + " from (select false card, hashtext(t) h from unnest($1::text[]) t union select true, hashtext(p)"
                + " from unnest($2::text[]) p order by 1, 2) locks").execute(Tuple.tuple().addValue(tids).addValue(pans.toArray(new String[0])));
    }

    private static boolean aborted(Throwable t) {
        return t instanceof PgException pg && ABORTED.equals(pg.getSqlState());
    }

    private static boolean shared(Throwable t) {
        return t instanceof Coalesced.SharedStatementFailed;
    }

    private static Throwable unwrap(Throwable t) {
        return shared(t) ? t.getCause() : t;
    }

    /** The group's transaction was rolled back; its members' own outcomes say why. */
    private static final class GroupFailed extends RuntimeException {
        GroupFailed() {
            super("group rolled back", null, false, false);
        }
    }
}
