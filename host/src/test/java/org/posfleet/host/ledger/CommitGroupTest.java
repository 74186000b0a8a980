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
                out.add(group.submit("T-CG-" + i, c -> c.preparedQuery("insert into host_setting (name, value) values ($1, 'x')")
                        .execute(Tuple.of(prefix + member))
                        .compose(r -> member == failing ? c.query("select 1 / 0").execute().map(x -> (Object) null) : Future.succeededFuture(member))));
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
        CommitGroup group = new CommitGroup(host.journal().pool(), 1, 64);
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
        CommitGroup single = new CommitGroup(host.journal().pool(), Integer.MAX_VALUE, 1);
        for (Future<Object> f : submitAll(host, single, "cg-b-", 10, -1)) {
            HostApp.await(f);
        }
        assertThat(single.averageGroupSize()).isEqualTo(1.0);
        assertThat(rows(host, "cg-b-")).isEqualTo(10);
    }
}
