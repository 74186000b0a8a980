package org.posfleet.fleet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.KeyCheckValue;
import org.posfleet.crypto.KeyComponents;
import org.posfleet.crypto.KeyTransport;
import org.posfleet.fleet.load.Fault;
import org.posfleet.fleet.load.FleetConfig;
import org.posfleet.fleet.load.FleetRun;
import org.posfleet.fleet.load.Mix;
import org.posfleet.fleet.load.RateProfile;
import org.posfleet.fleet.report.RunReport;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.field.OriginalTransaction;
import org.posfleet.protocol.field.SecurityControl;
import org.posfleet.protocol.field.SettlementTotals;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.Settlement;
import org.posfleet.protocol.message.NetworkCode;
import org.posfleet.protocol.message.NetworkManagement;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.SignOn;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The fleet simulator's command line: {@code run} drives a provisioned fleet open loop against a host;
 * {@code terminal} plays one terminal, for people bringing a host up and checking it end to end.
 */
@Command(name = "fleet-sim", mixinStandardHelpOptions = true, version = "posfleet fleet-sim 0.1",
        description = "posfleet terminal and fleet simulator.", subcommands = {FleetCommand.Run.class, FleetCommand.Terminal.class})
public final class FleetCommand implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new FleetCommand()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Drive a fleet (provisioned with the host's provision-fleet and the same fleet key) at an open-loop rate;"
                    + " verify every reply; print a live line each second; write summary.json, report.html and latency.hlog.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1")
        String host;

        @Option(names = "--port", defaultValue = "9583")
        int port;

        @Option(names = "--terminals", defaultValue = "100")
        int terminals;

        @Option(names = "--first-tid", defaultValue = "20000001")
        long firstTid;

        @Option(names = "--mid", defaultValue = "898100000000001")
        String mid;

        @Option(names = "--serial-prefix", defaultValue = "FLEET-")
        String serialPrefix;

        @Option(names = "--fleet-key", required = true, description = "the key given to provision-fleet")
        String fleetKey;

        @Option(names = "--password", defaultValue = "123456")
        String password;

        @Option(names = "--void-password", defaultValue = "888888")
        String voidPassword;

        @Option(names = "--rate", defaultValue = "100", description = "fleet-wide transactions per second, open loop (default: ${DEFAULT-VALUE})")
        double rate;

        @Option(names = "--duration", defaultValue = "10", description = "seconds of load (default: ${DEFAULT-VALUE})")
        int duration;

        @Option(names = "--rate-profile", description = "steps and ramps instead of --rate/--duration: rate:seconds or from-to:seconds,"
                + " e.g. 100:10,200:10 or 50-500:30")
        String rateProfile;

        @Option(names = "--connection-per-transaction", description = "connect for each transaction and close after the reply"
                + " (default: persistent connections)")
        boolean perTransaction;

        @picocli.CommandLine.Mixin
        TlsOptions tls;

        @Option(names = "--echo", description = "the target is a bare echo server (benchmarks: the machine's limit): no sign-on or"
                + " settlement, a reply with the request's STAN counts as answered")
        boolean echo;

        @Option(names = "--native-transport", defaultValue = "true", negatable = true, fallbackValue = "true",
                description = "sockets on epoll where its library loads (Linux), else Java's NIO (default); --no-native-transport:"
                        + " NIO always")
        boolean nativeTransport;

        @Option(names = "--closed-loop", description = "each terminal sends its next request when the last is answered (labelled closed loop)")
        boolean closedLoop;

        @Option(names = "--warmup", defaultValue = "2", description = "seconds of load before measuring (default: ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--mix", defaultValue = "sale=70,balance=10,void=10,signature=10", description = "scenario percentages (default: ${DEFAULT-VALUE})")
        String mix;

        @Option(names = "--seed", defaultValue = "1", description = "random seed of the mix (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--timeout", defaultValue = "10000", description = "reply timeout in ms; an unanswered request is reversed (default: ${DEFAULT-VALUE})")
        long timeout;

        @Option(names = "--max-lag", defaultValue = "5", description = "generator lag p99 (ms) above which the run is INVALID (default: ${DEFAULT-VALUE})")
        double maxLag;

        @Option(names = "--faults", defaultValue = "", description = "percentages of arrivals with a fault: split, duplicate, bad-mac,"
                + " disconnect, slow-reader, wrong-password, late-reversal, bad-bitmap, bad-length, e.g. split=5,bad-mac=1 (default: none)")
        String faults;

        @Option(names = "--connect-rate", defaultValue = "500",
                description = "terminals connecting and signing on per second at the start (default: ${DEFAULT-VALUE})")
        double connectRate;

        @Option(names = "--source-addresses", defaultValue = "1",
                description = "spread terminals over 127.0.0.1..N as source addresses: about 28,000 connections each (default: ${DEFAULT-VALUE})")
        int sourceAddresses;

        @Option(names = "--terminals-per-connection", defaultValue = "1",
                description = "terminals sharing one connection, as behind a NAC; replies are routed by the TPDU's address. Not with"
                        + " --connection-per-transaction or the faults on a connection (split, disconnect, slow-reader, bad-length)"
                        + " (default: ${DEFAULT-VALUE}: a connection each)")
        int terminalsPerConnection;

        @Option(names = "--report", defaultValue = "fleet-report", description = "directory for the report (default: ${DEFAULT-VALUE})")
        java.nio.file.Path report;

        @Option(names = "--scenario", description = "a scenario file (Java properties): mix, faults, seed, rate, duration, rate-profile,"
                + " warmup, closed-loop, connection-per-transaction; its values override the options")
        java.nio.file.Path scenario;

        private void applyScenario() throws java.io.IOException {
            if (scenario == null) {
                return;
            }
            java.util.Properties p = new java.util.Properties();
            try (var in = java.nio.file.Files.newBufferedReader(scenario)) {
                p.load(in);
            }
            for (String key : p.stringPropertyNames()) {
                String v = p.getProperty(key).strip();
                switch (key) {
                    case "mix" -> mix = v;
                    case "faults" -> faults = v;
                    case "seed" -> seed = Long.parseLong(v);
                    case "rate" -> rate = Double.parseDouble(v);
                    case "duration" -> duration = Integer.parseInt(v);
                    case "rate-profile" -> rateProfile = v;
                    case "warmup" -> warmup = Integer.parseInt(v);
                    case "closed-loop" -> closedLoop = Boolean.parseBoolean(v);
                    case "connection-per-transaction" -> perTransaction = Boolean.parseBoolean(v);
                    default -> throw new IllegalArgumentException("unknown key in " + scenario + ": " + key);
                }
            }
        }

        @Override
        public Integer call() throws Exception {
            applyScenario();
            FleetConfig cfg = new FleetConfig(host, port, terminals, firstTid, mid, serialPrefix, Bcd.fromHex(fleetKey), password, voidPassword,
                    rate, warmup, duration, Mix.parse(mix), seed, timeout, maxLag, report, sourceAddresses, connectRate, Fault.Plan.parse(faults),
                    rateProfile == null ? null : RateProfile.parse(rateProfile), closedLoop, perTransaction, echo).withTls(tls.clientTls())
                    .withTerminalsPerConnection(terminalsPerConnection);
            RunReport r = new FleetRun(cfg, System.out).nativeTransport(nativeTransport).run();
            return r.valid() && r.mismatches().isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "terminal", mixinStandardHelpOptions = true,
            description = "Play one terminal: get a TMK (known components, or remote download), sign on, echo test,"
                    + " optionally a sale with PIN, its void and settlement, sign off.")
    static final class Terminal implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        TlsOptions tls;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "host address (default: ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "9583", description = "host terminal port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--tid", required = true)
        String tid;

        @Option(names = "--mid", required = true)
        String mid;

        @Option(names = "--serial", required = true, description = "this device's serial number")
        String serial;

        @Option(names = "--suite", defaultValue = "TDES", description = "TDES or SM4 (default: ${DEFAULT-VALUE})")
        CipherSuite suite;

        @Option(names = "--tmk-component", description = "a clear TMK component in hex, as loaded at the host; repeat")
        List<String> components = new ArrayList<>();

        @Option(names = "--remote-tmk", description = "download the TMK instead: RSA or SM2")
        String remote;

        @Option(names = "--operator", defaultValue = "1")
        int operator;

        @Option(names = "--password", required = true, description = "the operator's password")
        String password;

        @Option(names = "--sale", description = "after sign-on: a sale of this amount in cents, with the card's PIN")
        Long sale;

        @Option(names = "--card", defaultValue = "6225880000000001", description = "card for --sale (default: ${DEFAULT-VALUE})")
        String card;

        @Option(names = "--pin", defaultValue = "123456", description = "the card's PIN (default: ${DEFAULT-VALUE})")
        String pin;

        @Option(names = "--void-password", description = "void the sale with supervisor 0's void password, then sell again")
        String voidPassword;

        @Option(names = "--settle", description = "settle the batch at the end")
        boolean settle;

        @Override
        public Integer call() throws Exception {
            try (BlockingTerminal t = new BlockingTerminal(tls.sockets(), host, port, tid, mid, serial, null, suite)) {
                if (remote != null) {
                    KeyTransport transport = remote.toUpperCase(Locale.ROOT).startsWith("RSA") ? KeyTransport.RSA_OAEP_SHA256 : KeyTransport.SM2;
                    ResponseCode rc = t.downloadTmk(transport, suite);
                    System.out.println("remote TMK download (" + transport + "): " + describe(rc));
                    if (rc != ResponseCode.APPROVED) {
                        return 1;
                    }
                } else {
                    if (components.size() < 2) {
                        System.err.println("give --tmk-component at least twice, or --remote-tmk RSA|SM2");
                        return 2;
                    }
                    byte[] tmk = KeyComponents.combine(components.stream().map(Bcd::fromHex).toList(), 16, "the TMK");
                    System.out.println("TMK from " + components.size() + " components, check value "
                            + Bcd.hex(KeyCheckValue.of(suite, tmk, 3)));
                    t.installTmk(tmk, suite);
                }
                int code = suite == CipherSuite.SM4 ? NetworkCode.SIGN_ON_SM4 : NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK;
                SignOn.Response r = t.signOn(code, operator, password);
                System.out.println("sign-on 60.3=" + String.format("%03d", code) + ": " + describe(r.responseCode()));
                if (r.responseCode() != ResponseCode.APPROVED) {
                    return 1;
                }
                System.out.println("  working keys received, check values verified; batch " + r.batch() + ", host time " + r.date() + " " + r.time());
                IsoMessage echo = t.exchange(new NetworkManagement.Request(MessageKind.ECHO_TEST, t.nextStan(), tid, mid, r.batch(), null)
                        .toMessage(), null).message();
                System.out.println("echo test: " + describe(ResponseCode.of(echo.string(39))));
                if (sale != null) {
                    transactions(t);
                }
                IsoMessage off = t.exchange(new NetworkManagement.Request(MessageKind.SIGN_OFF, t.nextStan(), tid, mid, r.batch(), null)
                        .toMessage(), null).message();
                System.out.println("sign-off: " + describe(ResponseCode.of(off.string(39))));
                return 0;
            }
        }

        /** Sale with PIN, optionally its void and a new sale, optionally settlement with the terminal's own totals. */
        private void transactions(BlockingTerminal t) throws java.io.IOException {
            SecurityControl pinControl = new SecurityControl(2, suite == CipherSuite.SM4 ? SecurityControl.ALGORITHM_SM4
                    : SecurityControl.ALGORITHM_DOUBLE_DES, 0);
            long debits = 0;
            int count = 0;
            CardTransaction.Request first = t.request(MessageKind.SALE, card, sale).withPin(t.pinBlock(card, pin), pinControl);
            IsoMessage r = t.send(first.toMessage()).message();
            System.out.println("sale " + money(sale) + ": " + describe(ResponseCode.of(r.string(39))) + rrn(r));
            if (!"00".equals(r.string(39))) {
                return;
            }
            debits += sale;
            count++;
            if (voidPassword != null) {
                CardTransaction.Request voidRequest = t.request(MessageKind.SALE_VOID, card, sale)
                        .withOriginal(r.string(37), r.string(38), OriginalTransaction.of(first.batch(), first.stan()))
                        .withSupervisor(0, t.credentialBlock(voidPassword));
                IsoMessage v = t.send(voidRequest.toMessage()).message();
                System.out.println("void of that sale with the supervisor's password: " + describe(ResponseCode.of(v.string(39))));
                if ("00".equals(v.string(39))) {
                    debits -= sale;
                    count--;
                }
                IsoMessage again = t.send(t.request(MessageKind.SALE, card, sale).withPin(t.pinBlock(card, pin), pinControl).toMessage()).message();
                System.out.println("sale " + money(sale) + " again: " + describe(ResponseCode.of(again.string(39))) + rrn(again));
                if ("00".equals(again.string(39))) {
                    debits += sale;
                    count++;
                }
            }
            if (settle) {
                SettlementTotals totals = new SettlementTotals(new SettlementTotals.Totals(debits, count, 0, 0, 0), SettlementTotals.Totals.ZERO);
                Settlement.Response s = Settlement.Response.from(t.send(new Settlement.Request(t.nextStan(), tid, mid, t.batch(), operator,
                        totals, "156").toMessage()).message());
                System.out.println("settlement of batch " + t.batch() + " (" + count + " debits, " + money(debits) + "): "
                        + describe(s.responseCode()) + ", " + (s.balanced() ? "balanced" : "NOT balanced"));
            }
        }

        private static String money(long cents) {
            return String.format("%d.%02d", cents / 100, cents % 100);
        }

        private static String rrn(IsoMessage r) {
            return r.has(37) ? ", RRN " + r.string(37) + (r.has(38) ? ", authorization " + r.string(38) : "") : "";
        }

        private static String describe(ResponseCode rc) {
            return rc == null ? "unknown response code" : rc.code() + " " + rc.meaning();
        }
    }

    /** TLS towards a host that has it on its terminal port: the trust store holding the host's certificate. */
    static final class TlsOptions {
        @Option(names = "--tls-truststore", description = "speak TLS to the host, trusting the certificates in this PKCS#12 store"
                + " (the host's own, or its issuer's; default: plain TCP)")
        java.nio.file.Path trustStore;

        @Option(names = "--tls-truststore-password-file", description = "a file holding the trust store's password")
        java.nio.file.Path passwordFile;

        FleetConfig.ClientTls clientTls() throws java.io.IOException {
            if (trustStore == null) {
                return null;
            }
            if (passwordFile == null) {
                throw new IllegalArgumentException("--tls-truststore needs --tls-truststore-password-file");
            }
            return new FleetConfig.ClientTls(trustStore, java.nio.file.Files.readString(passwordFile).strip());
        }

        javax.net.SocketFactory sockets() throws Exception {
            FleetConfig.ClientTls t = clientTls();
            if (t == null) {
                return javax.net.SocketFactory.getDefault();
            }
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            try (var in = java.nio.file.Files.newInputStream(t.trustStore())) {
                store.load(in, t.password().toCharArray());
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            javax.net.ssl.SSLParameters verify = ctx.getDefaultSSLParameters();
            verify.setEndpointIdentificationAlgorithm("HTTPS");
            javax.net.ssl.SSLSocketFactory factory = ctx.getSocketFactory();
            return new javax.net.SocketFactory() {
                private java.net.Socket verified(java.net.Socket s) {
                    ((javax.net.ssl.SSLSocket) s).setSSLParameters(verify);
                    return s;
                }

                @Override
                public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
                    return verified(factory.createSocket(host, port));
                }

                @Override
                public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) throws java.io.IOException {
                    return verified(factory.createSocket(host, port, local, localPort));
                }

                @Override
                public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
                    return verified(factory.createSocket(host, port));
                }

                @Override
                public java.net.Socket createSocket(java.net.InetAddress host, int port, java.net.InetAddress local, int localPort)
                        throws java.io.IOException {
                    return verified(factory.createSocket(host, port, local, localPort));
                }
            };
        }
    }
}
