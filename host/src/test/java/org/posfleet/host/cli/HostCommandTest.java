package org.posfleet.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.message.ResponseCode;
import picocli.CommandLine;

/** A person following the README: register, key ceremony, operator, then the terminal signs on. */
class HostCommandTest {

    @TempDir
    Path dir;

    private int run(String... args) {
        return new CommandLine(new HostCommand()).execute(args);
    }

    private List<String> common() throws Exception {
        HostConfig cfg = TestHost.sharedConfig();
        List<String> a = new ArrayList<>(List.of("--data-dir", cfg.dataDir().toString(), "--db-port", String.valueOf(cfg.embeddedDbPort())));
        for (Path f : TestHost.lmkComponentFiles(dir)) {
            a.add("--lmk-component-file");
            a.add(f.toString());
        }
        return a;
    }

    private int admin(String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(common());
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Test
    void registerCeremonyOperatorThenTheTerminalSignsOn() throws Exception {
        HostApp host = TestHost.shared();
        String c1 = "0123456789ABCDEFFEDCBA9876543210";
        String c2 = "11111111111111112222222222222222";
        Files.writeString(dir.resolve("pw"), "87654321\n");
        assertThat(admin("register-terminal", "--tid", "CLI00001", "--mid", TestHost.MID, "--serial", "CLI-SN-1")).isZero();
        assertThat(admin("load-tmk", "--tid", "CLI00001", "--component", c1, "--component", c2)).isZero();
        assertThat(admin("set-operator", "--tid", "CLI00001", "--operator", "2", "--password-file", dir.resolve("pw").toString())).isZero();

        byte[] tmk = Bcd.fromHex(c1);
        byte[] other = Bcd.fromHex(c2);
        for (int i = 0; i < 16; i++) {
            tmk[i] ^= other[i];
        }
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), "CLI00001", TestHost.MID, "CLI-SN-1", tmk, CipherSuite.TDES)) {
            assertThat(t.signOn(3, 2, "87654321").responseCode()).isEqualTo(ResponseCode.APPROVED);
        }
    }

    @Test
    void addedCardIsAuthorizedWithItsPinAndBalance() throws Exception {
        assertThat(admin("add-card", "--pan", "6200000000000007", "--expiry", "3106", "--pin", "4321", "--balance", "5000")).isZero();
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            var pinControl = new org.posfleet.protocol.field.SecurityControl(2, 6, 0);
            var sale = t.request(org.posfleet.protocol.message.MessageKind.SALE, "6200000000000007", 4000)
                    .withPin(t.pinBlock("6200000000000007", "4321"), pinControl);
            assertThat(t.send(sale.toMessage()).message().string(39)).isEqualTo("00");
            var more = t.request(org.posfleet.protocol.message.MessageKind.SALE, "6200000000000007", 2000)
                    .withPin(t.pinBlock("6200000000000007", "4321"), pinControl);
            assertThat(t.send(more.toMessage()).message().string(39)).as("10.00 left").isEqualTo("51");
        }
        assertThat(admin("add-card", "--pan", "62", "--expiry", "3106", "--pin", "4321", "--balance", "5000")).isEqualTo(2);
    }

    @Test
    void badInputIsRefusedWithAClearMessage() throws Exception {
        assertThat(admin("register-terminal", "--tid", "SHORT", "--mid", TestHost.MID, "--serial", "X")).isEqualTo(2);
        assertThat(admin("set-operator", "--tid", "CLI00001", "--operator", "3", "--password", "12ab")).isEqualTo(2);
    }

    private static int overlapBelow(String... args) throws Exception {
        HostCommand.ServeOptions options = new HostCommand.ServeOptions();
        new CommandLine(options).parseArgs(args);
        return options.apply(HostConfig.defaults()).overlapBelow();
    }

    @Test
    void overlapOfCommitGroupsIsSetByALimitOrOnAndOff() throws Exception {
        assertThat(overlapBelow()).isEqualTo(HostConfig.DEFAULT_OVERLAP_BELOW);
        assertThat(overlapBelow("--overlap-below", "6")).isEqualTo(6);
        assertThat(overlapBelow("--no-overlap-commits")).isZero();
        assertThat(overlapBelow("--overlap-commits")).isEqualTo(HostConfig.OVERLAP_ALWAYS);
        assertThatThrownBy(() -> overlapBelow("--overlap-below", "6", "--no-overlap-commits"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> overlapBelow("--overlap-below", "-1"))
                .hasMessageContaining("overlap below");
    }

    @Test
    void helpExplainsEveryOption() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new HostCommand());
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("--help")).isZero();
        assertThat(out.toString()).contains("--port", "--db-url", "--data-dir", "--lmk-component-file", "--key-max-age",
                "--read-timeout", "--max-connections", "register-terminal", "load-tmk", "set-operator");
    }

    @Test
    void lmkComponentsArePrintedOnlyAsCheckValues() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new HostCommand());
        cl.setOut(new PrintWriter(out));
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(stdout, true));
        try {
            assertThat(cl.execute("lmk-components", "--out", dir.resolve("lmk").toString())).isZero();
        } finally {
            System.setOut(saved);
        }
        String printed = stdout.toString();
        String component = Files.readString(dir.resolve("lmk").resolve("component-1")).strip();
        assertThat(component).hasSize(64);
        assertThat(printed).contains("component-1 check value", "LMK check value").doesNotContain(component);
    }
}
