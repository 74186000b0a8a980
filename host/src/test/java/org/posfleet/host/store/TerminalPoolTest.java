package org.posfleet.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.posfleet.host.HostApp;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.support.TestHost;

/** The terminals' connections plan each statement once, and as lookups by key, whatever the tables' statistics say. */
class TerminalPoolTest {

    @Test
    void aStatementOnTheTerminalsPoolIsPlannedGenericallyAndFindsJournalRowsByTheirKey() throws Exception {
        HostApp host = TestHost.shared();
        HostConfig config = TestHost.sharedConfig();
        try (Database db = Database.open(null, config.dataDir(), config.embeddedDbPort())) { // the running host's server
            Pool pool = db.terminalPool(host.vertx(), 1);
            try {
                List<String> settings = new ArrayList<>();
                for (String name : List.of("plan_cache_mode", "enable_seqscan", "enable_hashjoin")) {
                    settings.add(HostApp.await(pool.query("show " + name).execute()).iterator().next().getString(0));
                }
                assertThat(settings).containsExactly("force_generic_plan", "off", "off");
                // a batch of openings as the commit group reads them: a nested loop over the journal's key, never a scan
                List<String> plan = new ArrayList<>();
                for (Row r : HostApp.await(pool.preparedQuery("explain select j.id from unnest($1::varchar[], $2::int[])"
                        + " as r(tid, stan) left join journal j on j.tid = r.tid and j.mid = '898100000000001' and j.batch_no = 1"
                        + " and j.stan = r.stan and j.message_class = 2").execute(Tuple.tuple().addValue(new String[] {"T0000001"}).addValue(new Integer[] {1})))) {
                    plan.add(r.getString(0));
                }
                assertThat(String.join("\n", plan)).contains("Index").doesNotContain("Seq Scan on journal");
            } finally {
                HostApp.await(pool.close());
            }
        }
    }
}
