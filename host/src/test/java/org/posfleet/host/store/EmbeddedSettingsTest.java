package org.posfleet.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posfleet.host.HostApp;
import org.posfleet.host.cli.HostCommand;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.support.TestHost;
import picocli.CommandLine;

/** Settings given to the embedded PostgreSQL reach it; the ones every approval's durability rests on cannot be given. */
class EmbeddedSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theEmbeddedServerStartsWithTheSettingsGivenAndKeepsItsDurability() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("work_mem", "7MB");
        settings.put("log_min_duration_statement", "250");
        Vertx vertx = Vertx.vertx();
        try (Database db = Database.open(null, dir, TestHost.freePort(), settings)) {
            assertThat(db.description()).contains("work_mem=7MB");
            Pool pool = db.pool(vertx, 1);
            List<String> shown = new ArrayList<>();
            for (String name : List.of("work_mem", "log_min_duration_statement", "synchronous_commit", "fsync", "full_page_writes")) {
                shown.add(HostApp.await(pool.query("show " + name).execute()).iterator().next().getString(0));
            }
            assertThat(shown).containsExactly("7MB", "250ms", "on", "on", "on");
            HostApp.await(pool.close());
        } finally {
            HostApp.await(vertx.close());
        }
    }

    @Test
    void aSettingThatWouldLetAnApprovalLeaveBeforeItIsOnDiskIsRefused() {
        for (String name : List.of("synchronous_commit", "fsync", "full_page_writes", "wal_sync_method")) {
            assertThatThrownBy(() -> HostConfig.defaults().withDbSettings(Map.of(name, "off")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
        }
        assertThatThrownBy(() -> HostConfig.defaults().withDbSettings(Map.of("work_mem = 1MB; fsync", "off")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PostgreSQL setting name");
    }

    @Test
    void theCommandLineRefusesDurabilitySettingsAndSettingsForAnExternalServer() {
        assertThat(new CommandLine(new HostCommand()).execute("serve", "--data-dir", dir.toString(), "--db-setting", "fsync=off"))
                .isEqualTo(2);
        assertThat(new CommandLine(new HostCommand()).execute("serve", "--db-url", "postgresql://u:p@127.0.0.1:1/x",
                "--db-setting", "work_mem=7MB")).isEqualTo(2);
    }
}
