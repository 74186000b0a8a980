package org.posfleet.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.cli.HostCommand;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.message.ResponseCode;
import picocli.CommandLine;

/** Rotating the host master key keeps every TMK usable, and the old components no longer open the host. */
class LmkRotationTest {

    @TempDir
    Path dir;

    private List<Path> components(String name) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path f = dir.resolve(name + "-" + i);
            Files.writeString(f, Bcd.hex(SoftwareSecurityModule.randomComponent()) + "\n");
            files.add(f);
        }
        return files;
    }

    @Test
    void tmksSurviveRotationAndTheOldLmkIsRefused() throws Exception {
        List<Path> oldLmk = components("old");
        List<Path> newLmk = components("new");
        HostConfig cfg = HostConfig.defaults().withDatabase(dir.resolve("data"), null, TestHost.freePort()).withTerminalPort(TestHost.freePort())
                .withAdminPort(-1).withPasswords(1000, 5).withInstances(1);
        byte[] tmk = Bcd.fromHex("00112233445566778899AABBCCDDEEFF");
        try (HostApp host = HostApp.start(cfg, LmkComponents.load(oldLmk, null, dir))) {
            HostApp.await(host.store().registerTerminal("ROT00001", TestHost.MID, "rotation", "ROT-SN"));
            HostApp.await(host.store().loadTmk("ROT00001", host.securityModule().importTmk(List.of(tmk, new byte[16]), CipherSuite.TDES), "ceremony"));
            HostApp.await(host.store().setOperator("ROT00001", 1, "operator", PasswordHasher.hash("123456".toCharArray(), 1000)));
            try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), "ROT00001", TestHost.MID, "ROT-SN", tmk, CipherSuite.TDES)) {
                assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            }
        }

        List<String> args = new ArrayList<>(List.of("rotate-lmk", "--data-dir", cfg.dataDir().toString(), "--db-port", String.valueOf(cfg.embeddedDbPort())));
        for (Path f : oldLmk) {
            args.add("--lmk-component-file");
            args.add(f.toString());
        }
        for (Path f : newLmk) {
            args.add("--new-lmk-component-file");
            args.add(f.toString());
        }
        assertThat(new CommandLine(new HostCommand()).execute(args.toArray(String[]::new))).isZero();

        assertThatThrownBy(() -> HostApp.start(cfg, LmkComponents.load(oldLmk, null, dir)))
                .hasMessageContaining("wrapped under the LMK with check value");
        try (HostApp host = HostApp.start(cfg, LmkComponents.load(newLmk, null, dir));
             BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), "ROT00001", TestHost.MID, "ROT-SN", tmk, CipherSuite.TDES)) {
            assertThat(t.signOn().responseCode()).as("the same TMK, now under the new LMK").isEqualTo(ResponseCode.APPROVED);
        }
    }
}
