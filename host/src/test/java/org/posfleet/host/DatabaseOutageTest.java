package org.posfleet.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.security.LmkComponents;
import org.posfleet.host.security.PasswordHasher;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.message.ResponseCode;

/**
 * The database (an external PostgreSQL, as in production) stops under the host: every request is answered 96
 * within a second instead of hanging, nothing is approved while it is down, and when it comes back the host
 * approves again by itself, each approval journaled.
 */
class DatabaseOutageTest {

    @TempDir
    Path dir;

    private EmbeddedPostgres start(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data.toFile()).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").start();
    }

    @Test
    void aStoppedDatabaseGets96WithinASecondAndTheHostRecoversWhenItReturns() throws Exception {
        int dbPort = TestHost.freePort();
        Path pgData = Files.createDirectories(dir.resolve("external-pg"));
        EmbeddedPostgres pg = start(pgData, dbPort);
        String url = "postgresql://postgres:postgres@127.0.0.1:" + dbPort + "/postgres";
        HostConfig cfg = HostConfig.defaults().withDatabase(dir.resolve("host"), url, 0).withTerminalPort(TestHost.freePort())
                .withAdminPort(-1).withPasswords(1000, 5).withInstances(2);
        byte[] tmk = Bcd.fromHex("00112233445566778899AABBCCDDEEFF");
        List<Long> downMillis = new ArrayList<>();
        int approvedBefore = 0;
        int approvedAfter = 0;
        try (HostApp host = HostApp.start(cfg, LmkComponents.load(TestHost.lmkComponentFiles(Files.createDirectories(dir.resolve("lmk"))), null, dir))) {
            HostApp.await(host.store().registerTerminal("OUTAGE01", TestHost.MID, "outage", "OUT-SN"));
            HostApp.await(host.store().loadTmk("OUTAGE01", host.securityModule().importTmk(List.of(tmk, new byte[16]), CipherSuite.TDES), "ceremony"));
            HostApp.await(host.store().setOperator("OUTAGE01", 1, "operator", PasswordHasher.hash("123456".toCharArray(), 1000)));
            try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), "OUTAGE01", TestHost.MID, "OUT-SN", tmk, CipherSuite.TDES)) {
                t.socketTimeout(5_000);
                assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
                for (int i = 0; i < 3; i++) {
                    assertThat(t.sale(100, false).message().string(39)).isEqualTo("00");
                }
                approvedBefore = 3;

                pg.close();
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    String rc = t.sale(100, false).message().string(39);
                    downMillis.add((System.nanoTime() - t0) / 1_000_000);
                    assertThat(rc).as("while the database is down").isEqualTo(ResponseCode.SYSTEM_MALFUNCTION.code());
                }
                assertThat(downMillis).as("answered within a second, not left hanging").allMatch(ms -> ms < 1_000);

                pg = start(pgData, dbPort);
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (approvedAfter < 3 && System.nanoTime() < deadline) {
                    String rc = t.sale(100, false).message().string(39);
                    if (rc.equals("00")) {
                        approvedAfter++;
                    } else {
                        assertThat(rc).isEqualTo(ResponseCode.SYSTEM_MALFUNCTION.code());
                        Thread.sleep(200);
                    }
                }
                assertThat(approvedAfter).as("the host approves again by itself once the database is back").isEqualTo(3);
            }
        } finally {
            try (Connection c = pg.getPostgresDatabase().getConnection();
                 ResultSet rs = c.createStatement().executeQuery("select count(*) filter (where response_code = '00' and status = 'posted'),"
                         + " count(*) from journal where tid = 'OUTAGE01' and kind = 'SALE'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("every approval the terminal saw is journaled, and nothing else was posted")
                        .isEqualTo(approvedBefore + approvedAfter);
            }
            pg.close();
        }
    }
}
