package org.posfleet.host.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;

class CommitGroupTest {

    /** Submits {@code n} members on one event loop at once, member {@code failing} fails after writing. */
    private static List<Future<Object>> submitAll(HostApp host, CommitGroup group, String prefix, int n, int failing) throws Exception {
        Context ctx = host.vertx().getOrCreateContext();
        CompletableFuture<List<Future<Object>>> submitted = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            List<Future<Object>> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int member = i;
                out.add(group.submit("T-CG-" + i, tx -> tx.connection().preparedQuery("insert into host_setting (name, value) values ($1, 'x')")
                        .execute(Tuple.of(prefix + member))
                        .compose(r -> member == failing ? tx.connection().query("select 1 / 0").execute().map(x -> (Object) null) : Future.succeededFuture(member))));
            }
            submitted.complete(out);
        });
        return submitted.get();
    }

    private static long rows(HostApp host, String prefix) throws Exception {
        return HostApp.await(host.journal().pool().preparedQuery("select count(*) from host_setting where name like $1")
                .execute(Tuple.of(prefix + "%"))).iterator().next().getLong(0);
    }

    @Test
    void membersSubmittedTogetherCommitTogetherAndAFailingMemberFailsAloneWhileTheOthersGoAgain() throws Exception {
        HostApp host = TestHost.shared();
        CommitGroup group = new CommitGroup(host.journal(), 1, 64);
        List<Future<Object>> results = submitAll(host, group, "cg-a-", 20, 7);
        for (int i = 0; i < results.size(); i++) {
            Promise<Object> settled = Promise.promise();
            results.get(i).onComplete(ar -> settled.complete(ar.succeeded() ? ar.result() : ar.cause()));
            Object outcome = HostApp.await(settled.future());
            if (i == 7) {
                assertThat(outcome).isInstanceOf(Throwable.class);
            } else {
                assertThat(outcome).isEqualTo(i);
            }
        }
        assertThat(rows(host, "cg-a-")).as("every member but the failing one is committed, once").isEqualTo(19);
        assertThat(group.rerun()).as("the failing member's group went again without it").isPositive();
        assertThat(group.averageGroupSize()).as("one transaction took many members").isGreaterThan(1.0);
    }

    @Test
    void withoutGroupingEveryMemberIsItsOwnTransaction() throws Exception {
        HostApp host = TestHost.shared();
        CommitGroup single = new CommitGroup(host.journal(), Integer.MAX_VALUE, 1);
        for (Future<Object> f : submitAll(host, single, "cg-b-", 10, -1)) {
            HostApp.await(f);
        }
        assertThat(single.averageGroupSize()).isEqualTo(1.0);
        assertThat(rows(host, "cg-b-")).isEqualTo(10);
    }

    /** A journal row for the shared insert; {@code status} must pass the journal's check constraint. */
    private static JournalEntry row(String tid, int stan, String status) {
        return new JournalEntry(0, tid, TestHost.MID, 1, stan, 2, "SALE", null, 1L, null, null, "00", status, null, 0, null, new byte[32], null);
    }

    @Test
    void whenTheSharedInsertFailsTheMembersGoAgainOneByOneAndOnlyTheCulpritFails() throws Exception {
        HostApp host = TestHost.shared();
        CommitGroup group = new CommitGroup(host.journal(), 1, 64);
        Context ctx = host.vertx().getOrCreateContext();
        CompletableFuture<List<Future<Void>>> submitted = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            List<Future<Void>> out = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String tid = "CGS" + i;
                JournalEntry r = row(tid, 4242, i == 3 ? "no-such-status" : JournalEntry.POSTED);
                out.add(group.submit(tid, tx -> tx.insert(r, java.util.List.of())));
            }
            submitted.complete(out);
        });
        List<Future<Void>> results = submitted.get();
        for (int i = 0; i < results.size(); i++) {
            Promise<Object> settled = Promise.promise();
            results.get(i).onComplete(ar -> settled.complete(ar.succeeded() ? "ok" : ar.cause()));
            Object outcome = HostApp.await(settled.future());
            if (i == 3) {
                assertThat(outcome).isInstanceOf(io.vertx.pgclient.PgException.class);
            } else {
                assertThat(outcome).isEqualTo("ok");
            }
        }
        long written = HostApp.await(host.journal().pool().preparedQuery("select count(*) from journal where tid like 'CGS%' and stan = 4242")
                .execute()).iterator().next().getLong(0);
        assertThat(written).as("five rows, each once").isEqualTo(5);
        assertThat(group.rerun()).as("the first member had the loop to itself; the five after it shared a group, then went alone")
                .isEqualTo(5);
    }

    @Test
    void postingsOfOneTerminalOrOneCardNeverShareAGroup() throws Exception {
        HostApp host = TestHost.shared();
        CommitGroup group = new CommitGroup(host.journal(), 1, 64);
        Context ctx = host.vertx().getOrCreateContext();
        List<Integer> sizes = java.util.Collections.synchronizedList(new ArrayList<>());
        group.observe((n, nanos) -> sizes.add(n));
        CompletableFuture<List<Future<Integer>>> submitted = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            List<Future<Integer>> out = new ArrayList<>();
            // a group in flight first, so that the next six queue and are grouped together
            out.add(group.submit("CGT0", tx -> tx.connection().query("select pg_sleep(0.2)").execute().map(x -> 0)));
            out.add(group.submit("CGT1", tx -> Future.succeededFuture(1)));
            out.add(group.submit("CGT1", tx -> Future.succeededFuture(2))); // same terminal: next group
            out.add(group.submit("CGT2", "6200000000000001", tx -> Future.succeededFuture(3)));
            out.add(group.submit("CGT3", "6200000000000001", tx -> Future.succeededFuture(4))); // same card: next group
            out.add(group.submit("CGT4", tx -> Future.succeededFuture(5)));
            out.add(group.submit("CGT5", tx -> Future.succeededFuture(6)));
            submitted.complete(out);
        });
        for (Future<Integer> f : submitted.get()) {
            HostApp.await(f);
        }
        assertThat(sizes).containsExactly(1, 4, 2);
    }

    @Test
    void aCardChargedByGroupsOfTwoEventLoopsIsReadBySecondOnlyAfterTheFirstCommits() throws Exception {
        HostApp host = TestHost.shared();
        String pan = "6200000000000099";
        HostApp.await(host.journal().putCard(new TestCard(pan, "4912", "x", 0, 10_000, "active")));
        CommitGroup first = new CommitGroup(host.journal(), 1, 64);
        CommitGroup second = new CommitGroup(host.journal(), 1, 64);
        CompletableFuture<Long> seenBySecond = new CompletableFuture<>();
        CompletableFuture<Void> firstHoldsTheCard = new CompletableFuture<>();
        JournalEntry charge = new JournalEntry(0, "CGCARD1", TestHost.MID, 1, 77, 2, "SALE", pan, 100L, null, null, "00",
                JournalEntry.POSTED, null, -100, null, new byte[32], null);
        host.vertx().getOrCreateContext().runOnContext(v -> first.submit("CGCARD1", pan, tx -> tx.open(openKey("CGCARD1", pan))
                .onSuccess(o -> firstHoldsTheCard.complete(null))
                .compose(o -> tx.connection().query("select pg_sleep(0.3)").execute())
                .compose(x -> tx.insert(charge, java.util.List.of()))));
        firstHoldsTheCard.get();
        host.vertx().getOrCreateContext().runOnContext(v -> second.submit("CGCARD2", pan, tx -> tx.open(openKey("CGCARD2", pan))
                .onSuccess(o -> seenBySecond.complete(o.card().balance()))));
        assertThat(seenBySecond.get()).as("the second group waited for the first one's charge to commit").isEqualTo(9_900);
    }

    private static Journal.OpenKey openKey(String tid, String pan) {
        return new Journal.OpenKey(tid, TestHost.MID, 1, 77, 2, pan, null, null, null, null);
    }

    private static int nextStan = 4340;

    /**
     * A group on one loop with a COMMIT that takes half a second, and behind it {@code fast} postings of other terminals
     * that come while its statements run; the order they completed in.
     */
    private static List<String> slowCommitThenFast(HostApp host, int overlapBelow, int fast) throws Exception {
        return slowThenFast(host, false, overlapBelow, fast, 64);
    }

    private static List<String> slowCommitThenFast(HostApp host, int overlapBelow, int fast, int maxMembers) throws Exception {
        return slowThenFast(host, false, overlapBelow, fast, maxMembers);
    }

    /**
     * As {@link #slowCommitThenFast}, the first group slow either in its COMMIT (as a slow WAL flush would be) or in a
     * statement before its row ({@code slowStatement}: the group is still running, its COMMIT not sent).
     */
    private static List<String> slowThenFast(HostApp host, boolean slowStatement, int overlapBelow, int fast, int maxMembers) throws Exception {
        // a deferred trigger runs at COMMIT, as a slow WAL flush would take
        HostApp.await(host.journal().pool().query("create or replace function cg_slow_commit() returns trigger language plpgsql"
                + " as $$ begin perform pg_sleep(0.5); return null; end $$").execute());
        HostApp.await(host.journal().pool().query("create constraint trigger cg_slow_commit after insert on journal deferrable"
                + " initially deferred for each row when (new.tid = 'CGSLOW') execute function cg_slow_commit()").execute());
        try {
            CommitGroup group = new CommitGroup(host.journal(), 1, maxMembers, overlapBelow);
            Context ctx = host.vertx().getOrCreateContext();
            List<String> done = java.util.Collections.synchronizedList(new ArrayList<>());
            int stan = nextStan++;
            CompletableFuture<List<Future<Void>>> submitted = new CompletableFuture<>();
            ctx.runOnContext(v -> {
                List<Future<Void>> all = new ArrayList<>();
                // slow in a statement, its row is not CGSLOW's: the trigger must not slow its COMMIT too
                all.add(group.submit("CGSLOW", tx -> (slowStatement ? tx.connection().query("select pg_sleep(0.5)").execute()
                                .compose(x -> tx.insert(row("CGSLEEP", stan, JournalEntry.POSTED), List.of()))
                                : tx.insert(row("CGSLOW", stan, JournalEntry.POSTED), List.of()))).onSuccess(x -> done.add("slow")));
                for (int i = 1; i <= fast; i++) {
                    String tid = "CGFAST" + i;
                    all.add(group.submit(tid, tx -> tx.insert(row(tid, stan, JournalEntry.POSTED), List.of())).onSuccess(x -> done.add(tid)));
                }
                submitted.complete(all);
            });
            for (Future<Void> f : submitted.get()) {
                HostApp.await(f);
            }
            assertThat(group.averageGroupSize()).as("the slow group, then one group of the others").isEqualTo((1.0 + fast) / 2);
            return done;
        } finally {
            HostApp.await(host.journal().pool().query("drop trigger cg_slow_commit on journal").execute());
        }
    }

    @Test
    void withOverlapTheNextGroupRunsWhileTheLastOneWaitsForItsCommit() throws Exception {
        assertThat(slowCommitThenFast(TestHost.shared(), Integer.MAX_VALUE, 2)).containsExactly("CGFAST1", "CGFAST2", "slow");
    }

    @Test
    void withoutOverlapTheNextGroupWaitsForTheLastOnesCommit() throws Exception {
        assertThat(slowCommitThenFast(TestHost.shared(), 0, 1)).containsExactly("slow", "CGFAST1");
    }

    @Test
    void aPostingThatComesAloneRunsWhileTheLastGroupWaitsForItsCommit() throws Exception {
        assertThat(slowCommitThenFast(TestHost.shared(), 2, 1)).containsExactly("CGFAST1", "slow");
    }

    @Test
    void postingsThatComeTogetherWaitForTheLastGroupsCommitAndGoAsOneGroup() throws Exception {
        assertThat(slowCommitThenFast(TestHost.shared(), 2, 3)).containsExactly("slow", "CGFAST1", "CGFAST2", "CGFAST3");
    }

    @Test
    void aFullGroupRunsWhileTheLastGroupWaitsForItsCommit() throws Exception {
        assertThat(slowCommitThenFast(TestHost.shared(), 2, 3, 3)).containsExactly("CGFAST1", "CGFAST2", "CGFAST3", "slow");
    }

    @Test
    void aFullGroupRunsBesideAGroupStillRunningItsStatements() throws Exception {
        assertThat(slowThenFast(TestHost.shared(), true, 2, 3, 3)).containsExactly("CGFAST1", "CGFAST2", "CGFAST3", "slow");
    }

    @Test
    void postingsShortOfAFullGroupWaitForTheGroupRunningItsStatements() throws Exception {
        assertThat(slowThenFast(TestHost.shared(), true, 2, 2, 3)).containsExactly("slow", "CGFAST1", "CGFAST2");
    }

    @Test
    void withoutOverlapAFullGroupWaitsForTheGroupRunningItsStatements() throws Exception {
        assertThat(slowThenFast(TestHost.shared(), true, 0, 3, 3)).containsExactly("slow", "CGFAST1", "CGFAST2", "CGFAST3");
    }
}
