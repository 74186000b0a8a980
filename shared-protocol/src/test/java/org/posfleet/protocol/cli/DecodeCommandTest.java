package org.posfleet.protocol.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.message.Samples;

class DecodeCommandTest {

    private static Samples.Sample sample(String name) {
        return Samples.all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private record Result(int status, String out) {
    }

    private static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = DecodeCommand.run(args, stdin, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(status, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsEveryFieldByNumberAndNameWithSubFieldsAndVerifiesTheMac() {
        String hex = Bcd.hex(sample("sale-request").encode());
        Result r = run(new byte[0], "--mak", Bcd.hex(Samples.MAK), hex);
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("MTI      0200  SALE")
                .contains("processing requirement 0")
                .containsPattern("  2  PAN \\(primary account number\\)\\s+n\\.\\.19 LLVAR\\s+\\[16\\] 6225880000000001")
                .contains("22.1").contains("60.3").contains("53.2")
                .contains("MAC      verified with the given MAK");
    }

    @Test
    void readsHexFromStandardInputWithSpacesAndWithoutTheLength() {
        String hex = Bcd.hex(sample("settlement-request").encode()).substring(4).replaceAll("(.{8})", "$1 ");
        Result r = run(hex.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("SETTLEMENT").contains("48.1").contains("domestic debit amount");
    }

    @Test
    void wrongMakIsReportedAsMismatch() {
        Result r = run(new byte[0], "--mak", "0000000000000000", Bcd.hex(sample("sale-request").encode()));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("MISMATCH");
    }

    @Test
    void malformedFrameReportsTheTypedErrorWithFieldAndOffset() {
        String hex = Bcd.hex(sample("sale-request").encode());
        Result r = run(new byte[0], hex.substring(0, hex.length() - 20));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).contains("malformed frame").contains("field").contains("offset");
    }

    @Test
    void notHexIsAUsageError() {
        assertThat(run(new byte[0], "XYZ").status()).isEqualTo(64);
    }
}
