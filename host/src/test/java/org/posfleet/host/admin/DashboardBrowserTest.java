package org.posfleet.host.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posfleet.fleet.load.Fault;
import org.posfleet.fleet.load.FleetConfig;
import org.posfleet.fleet.load.FleetRun;
import org.posfleet.fleet.load.Mix;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.Bcd;

/**
 * The dashboard in a real browser (headless Chromium, driven over the DevTools protocol): it loads, shows live
 * numbers while a test fleet runs, and logs no console error or uncaught exception. CI installs Debian's
 * chromium; elsewhere the test is skipped when no browser is installed, but never in CI.
 */
class DashboardBrowserTest {

    private static final String TOKEN = "dashboard-viewer-token-0123456789";
    private static final String FLEET_KEY = "1F2E3D4C5B6A79889786A5B4C3D2E1F0";

    @TempDir
    Path dir;

    @Test
    void dashboardShowsLiveNumbersWhileAFleetRunsAndHasNoConsoleErrors() throws Exception {
        Path chromium = browser();
        HostApp host = TestHost.shared();
        HostApp.await(new AdminStore(host.journal().pool()).createToken("dashboard-viewer", AdminServer.hash(TOKEN), "read"));
        provision(33000001, 20);

        Path profile = Files.createDirectory(dir.resolve("profile"));
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
        try (DevTools page = DevTools.attach(browser)) {
            page.call("Runtime.enable", new JsonObject());
            page.call("Log.enable", new JsonObject());
            page.call("Page.enable", new JsonObject());
            page.call("Page.navigate", new JsonObject().put("url", "http://127.0.0.1:" + host.adminPort() + "/dashboard#token=" + TOKEN));

            FleetConfig fleet = new FleetConfig("127.0.0.1", host.port(), 20, 33000001, TestHost.MID, "FLEET-", Bcd.fromHex(FLEET_KEY),
                    "123456", "888888", 30, 1, 8, Mix.parse("sale=80,void=20"), 5, 10_000, 1_000, dir.resolve("report"), 1, 200,
                    Fault.Plan.NONE, null, false, false);
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    new FleetRun(fleet, new PrintStream(new ByteArrayOutputStream(), true)).run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            List<Double> rates = new ArrayList<>();
            List<Long> approvals = new ArrayList<>();
            long connections = 0;
            String kinds = "";
            String status = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(7);
            Thread.sleep(3_000);
            while (System.nanoTime() < deadline) {
                status = page.text("status");
                rates.add(number(page.text("rate")));
                approvals.add((long) number(page.text("approved")));
                connections = Math.max(connections, (long) number(page.text("connections")));
                kinds = page.eval("document.getElementById('kinds').innerText");
                Thread.sleep(1_000);
            }
            run.get(60, TimeUnit.SECONDS);

            assertThat(status).startsWith("live");
            assertThat(connections).as("connected terminals").isPositive();
            assertThat(rates).as("messages per second while the fleet runs").anyMatch(r -> r > 0);
            assertThat(approvals.get(approvals.size() - 1)).as("approvals go up while it watches").isGreaterThan(approvals.get(0));
            assertThat(kinds).contains("SALE");
            assertThat(page.text("tx")).contains("SALE");
            assertThat(page.errors()).as("console errors and uncaught exceptions").isEmpty();
        } finally {
            // the whole tree: the browser's helper processes write to the profile until they exit, and the temp
            // directory is deleted right after this test (a helper still writing there failed its clean-up once)
            List<ProcessHandle> tree = new ArrayList<>(browser.descendants().toList());
            tree.add(browser.toHandle());
            tree.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : tree) {
                p.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Debian's chromium; skipped where there is none, except in CI, which installs it. */
    private static Path browser() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError("CI must install chromium (see .ci/run)");
        }
        Assumptions.abort("no chromium installed");
        return null;
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void provision(long firstTid, int count) throws Exception {
        TestHost.provisionFleet(dir, firstTid, count, FLEET_KEY);
    }

    /** A minimal DevTools-protocol client on one page: commands with replies, and the errors the page reports. */
    private static final class DevTools implements AutoCloseable, WebSocket.Listener {
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
        private final List<String> errors = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static DevTools attach(Process browser) throws Exception {
            BufferedReader out = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        Matcher m = listening.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the browser is gone
                }
                port.completeExceptionally(new IllegalStateException("chromium exited before it listened"));
            }, "chromium-output");
            reader.setDaemon(true);
            reader.start();
            int p = port.get(30, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/json/list")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String pageUrl = null;
            for (Object o : new io.vertx.core.json.JsonArray(list)) {
                JsonObject target = (JsonObject) o;
                if ("page".equals(target.getString("type"))) {
                    pageUrl = target.getString("webSocketDebuggerUrl");
                }
            }
            DevTools d = new DevTools();
            d.socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), d).get(10, TimeUnit.SECONDS);
            return d;
        }

        JsonObject call(String method, JsonObject params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonObject> reply = new CompletableFuture<>();
            pending.put(id, reply);
            socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true).get(10, TimeUnit.SECONDS);
            JsonObject r = reply.get(10, TimeUnit.SECONDS);
            if (r.containsKey("error")) {
                throw new IllegalStateException(method + ": " + r.getJsonObject("error").encode());
            }
            return r.getJsonObject("result");
        }

        String eval(String expression) throws Exception {
            JsonObject r = call("Runtime.evaluate", new JsonObject().put("expression", expression).put("returnByValue", true));
            Object v = r.getJsonObject("result").getValue("value");
            return v == null ? "" : v.toString();
        }

        String text(String id) throws Exception {
            return eval("(document.getElementById('" + id + "') || {}).textContent || ''");
        }

        List<String> errors() {
            return List.copyOf(errors);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject m = new JsonObject(partial.toString());
                partial.setLength(0);
                if (m.containsKey("id")) {
                    CompletableFuture<JsonObject> f = pending.remove(m.getInteger("id"));
                    if (f != null) {
                        f.complete(m);
                    }
                } else {
                    event(m.getString("method"), m.getJsonObject("params"));
                }
            }
            ws.request(1);
            return null;
        }

        private void event(String method, JsonObject params) {
            if ("Runtime.exceptionThrown".equals(method)) {
                errors.add("exception: " + params.getJsonObject("exceptionDetails").encode());
            } else if ("Runtime.consoleAPICalled".equals(method) && ("error".equals(params.getString("type")) || "assert".equals(params.getString("type")))) {
                errors.add("console." + params.getString("type") + ": " + params.getJsonArray("args").encode());
            } else if ("Log.entryAdded".equals(method) && "error".equals(params.getJsonObject("entry").getString("level"))) {
                errors.add("log: " + params.getJsonObject("entry").getString("text", "") + " " + params.getJsonObject("entry").getString("url", ""));
            }
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
