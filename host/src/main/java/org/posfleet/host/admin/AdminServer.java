package org.posfleet.host.admin;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.host.flow.HostContext;
import org.posfleet.host.security.PasswordHasher;
import org.posfleet.host.security.WrappedKey;
import org.posfleet.host.store.LmkRotation;
import org.posfleet.protocol.iso.Bcd;

/**
 * The admin API (vertx-web, its own port): merchants and terminals, the device lifecycle (bind, unbind,
 * rebind), keys (TMK from components, reset, forced sign-on), operators and the supervisor's void password,
 * transactions, and the audit log. Every route needs a bearer token; changes need the admin role and are
 * audited (who, what, when, before and after; never a key or a password). Repeated failed logins from an
 * address lock it out for a while. Errors are JSON, never a stack trace. The OpenAPI document is served at
 * {@code /api/openapi.json}.
 */
public final class AdminServer {

    private static final Logger LOG = Logger.getLogger(AdminServer.class.getName());
    static final int MAX_LOGIN_FAILURES = 10;
    static final long LOCKOUT_MILLIS = 10 * 60_000L;

    private final HostContext ctx;
    private final AdminStore store;
    /** Failed logins per remote address: count and the time of the last; one event loop, no locking. */
    private final Map<String, long[]> failures = new HashMap<>();

    public AdminServer(HostContext ctx, AdminStore store) {
        this.ctx = ctx;
        this.store = store;
    }

    public Future<HttpServer> start(String host, int port) {
        Router r = Router.router(ctx.vertx());
        r.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
        r.get("/api/openapi.json").handler(this::openApi);
        r.get("/dashboard").handler(c -> resource(c, "admin/dashboard.html", "text/html; charset=utf-8"));
        r.route("/api/*").handler(this::authenticate);
        r.get("/api/merchants").handler(c -> json(c, store.merchants()));
        r.post("/api/merchants").handler(admin(this::createMerchant));
        r.get("/api/merchants/:mid").handler(c -> found(c, store.merchant(c.pathParam("mid")), "no merchant " + c.pathParam("mid")));
        r.post("/api/merchants/:mid/disable").handler(admin(c -> change(c, "disable merchant", store.setMerchantStatus(c.pathParam("mid"), "disabled"),
                "active", "disabled; its terminals are refused (03)", c.pathParam("mid"))));
        r.post("/api/merchants/:mid/enable").handler(admin(c -> change(c, "enable merchant", store.setMerchantStatus(c.pathParam("mid"), "active"),
                "disabled", "active", c.pathParam("mid"))));
        r.get("/api/terminals").handler(c -> json(c, store.terminals(c.queryParams().get("mid"), null, limit(c))));
        r.post("/api/terminals").handler(admin(this::createTerminal));
        r.get("/api/terminals/:tid").handler(c -> found(c, store.terminal(c.pathParam("tid")), "no terminal " + c.pathParam("tid")));
        r.post("/api/terminals/:tid/disable").handler(admin(c -> change(c, "disable", store.setStatus(c.pathParam("tid"), "disabled"), "active", "disabled")));
        r.post("/api/terminals/:tid/enable").handler(admin(c -> change(c, "enable", store.setStatus(c.pathParam("tid"), "active"), "disabled", "active")));
        r.post("/api/terminals/:tid/bind").handler(admin(this::bind));
        r.post("/api/terminals/:tid/unbind").handler(admin(this::unbind));
        r.post("/api/terminals/:tid/tmk").handler(admin(this::loadTmk));
        r.post("/api/terminals/:tid/reset-keys").handler(admin(c -> change(c, "reset keys", store.resetKeys(c.pathParam("tid")), null, null)));
        r.post("/api/terminals/:tid/force-sign-on").handler(admin(c -> change(c, "force sign-on", store.forceSignOn(c.pathParam("tid")), null, null)));
        r.post("/api/lmk/rotate").handler(admin(this::rotateLmk));
        r.put("/api/terminals/:tid/operators/:no").handler(admin(this::setOperator));
        r.post("/api/terminals/:tid/operators/:no/unlock").handler(admin(c -> change(c, "unlock operator " + c.pathParam("no"),
                store.unlockOperator(c.pathParam("tid"), operatorNo(c)), "locked", "unlocked")));
        r.delete("/api/terminals/:tid/operators/:no").handler(admin(c -> change(c, "remove operator " + c.pathParam("no"),
                ctx.store().removeOperator(c.pathParam("tid"), operatorNo(c)).compose(removed -> removed ? Future.succeededFuture()
                        : Future.failedFuture(new AdminStore.NotFound("terminal " + c.pathParam("tid") + " has no operator " + c.pathParam("no")))),
                "present", "removed")));
        r.get("/api/transactions").handler(c -> json(c, store.transactions(c.queryParams().get("tid"), intParam(c, "batch"),
                c.queryParams().get("rrn"), dateParam(c, "from"), dateParam(c, "to"), limit(c))));
        r.get("/api/transactions/:id").handler(c -> found(c, store.transaction(longPath(c, "id")), "no transaction " + c.pathParam("id")));
        r.get("/api/signatures/:id/image.png").handler(this::signaturePng);
        r.get("/api/batches").handler(c -> json(c, store.batches(c.queryParams().get("tid"), limit(c))));
        r.get("/api/terminals/:tid/batch").handler(c -> found(c, store.openBatch(c.pathParam("tid")), "no terminal " + c.pathParam("tid")));
        r.get("/api/metrics").handler(c -> c.response().putHeader("content-type", "text/plain; version=0.0.4")
                .end(ctx.metrics().registry().scrape()));
        r.get("/api/stats").handler(this::stats);
        r.get("/api/audit").handler(c -> json(c, store.auditLog(c.queryParams().get("target"), limit(c))));
        r.route().last().handler(c -> error(c, 404, "no such route"));
        r.route().failureHandler(this::failure);
        io.vertx.core.http.HttpServerOptions options = new io.vertx.core.http.HttpServerOptions();
        if (ctx.config().tls() != null) {
            options.setSsl(true).setKeyCertOptions(new io.vertx.core.net.PfxOptions().setPath(ctx.config().tls().keyStore().toString())
                    .setPassword(ctx.config().tls().password()));
        }
        return ctx.vertx().createHttpServer(options).requestHandler(r).listen(port, host);
    }

    // -- authentication and roles

    private void authenticate(RoutingContext c) {
        String address = c.request().remoteAddress() == null ? "?" : c.request().remoteAddress().hostAddress();
        long[] f = failures.get(address);
        if (f != null && f[0] >= MAX_LOGIN_FAILURES && System.currentTimeMillis() - f[1] < LOCKOUT_MILLIS) {
            error(c, 429, "too many failed logins from this address; locked out for a while");
            return;
        }
        String header = c.request().getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            loginFailed(c, address);
            return;
        }
        store.token(hash(header.substring(7).strip())).onComplete(ar -> {
            if (ar.failed() || ar.result() == null) {
                loginFailed(c, address);
                return;
            }
            failures.remove(address);
            c.put("actor", ar.result().getString("name"));
            c.put("role", ar.result().getString("role"));
            c.next();
        });
    }

    private void loginFailed(RoutingContext c, String address) {
        long[] f = failures.computeIfAbsent(address, k -> new long[2]);
        f[0]++;
        f[1] = System.currentTimeMillis();
        ctx.metrics().passwordFailure("admin", f[0] == MAX_LOGIN_FAILURES);
        LOG.warning(() -> "admin API: failed login " + f[0] + " from " + address);
        error(c, 401, "a valid bearer token is needed");
    }

    private static io.vertx.core.Handler<RoutingContext> admin(io.vertx.core.Handler<RoutingContext> h) {
        return c -> {
            if (!"admin".equals(c.get("role"))) {
                error(c, 403, "this needs the admin role");
                return;
            }
            h.handle(c);
        };
    }

    /** SHA-256 of a token: tokens are random and long, so a fast hash is enough and only the hash is stored. */
    public static String hash(String token) {
        try {
            return Bcd.hex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // -- changes

    private void createMerchant(RoutingContext c) {
        JsonObject b = body(c);
        String mid = required(b, "mid");
        if (mid.length() != 15) {
            throw new IllegalArgumentException("a MID is 15 characters");
        }
        change(c, "create merchant", store.createMerchant(mid, b.getString("name", mid)), null, "mid " + mid, mid);
    }

    private void createTerminal(RoutingContext c) {
        JsonObject b = body(c);
        String tid = required(b, "tid");
        String mid = required(b, "mid");
        if (tid.length() != 8 || mid.length() != 15) {
            throw new IllegalArgumentException("a TID is 8 characters and a MID 15");
        }
        String serial = b.getString("deviceSerial");
        change(c, "create terminal", ctx.store().registerTerminal(tid, mid, b.getString("merchantName", mid), serial)
                .recover(e -> Future.failedFuture(new AdminStore.Conflict("terminal " + tid + " exists or merchant is unknown"))),
                null, "mid " + mid + (serial == null ? "" : ", device " + serial), tid);
    }

    private void bind(RoutingContext c) {
        String serial = required(body(c), "deviceSerial");
        change(c, "bind device", store.bind(c.pathParam("tid"), serial), "no device", "device " + serial);
    }

    private void unbind(RoutingContext c) {
        String reason = body(c).getString("reason", "broken");
        String tid = c.pathParam("tid");
        store.unbind(tid, reason).compose(serial -> store.audit(actor(c), "unbind device", tid, "device " + serial,
                "no device; " + serial + " revoked (" + reason + "); keys destroyed").map(v -> serial))
                .onComplete(ar -> reply(c, ar.map(serial -> new JsonObject().put("tid", tid).put("revokedSerial", serial))));
    }

    /** Loads a TMK from two or more clear components; the answer shows check values only. */
    private void loadTmk(RoutingContext c) {
        JsonObject b = body(c);
        JsonArray hex = b.getJsonArray("components");
        if (hex == null || hex.size() < 2) {
            throw new IllegalArgumentException("components: at least two clear 16-byte components in hex");
        }
        CipherSuite suite = CipherSuite.valueOf(b.getString("suite", "TDES").toUpperCase(java.util.Locale.ROOT));
        List<byte[]> parts = new ArrayList<>();
        JsonArray checks = new JsonArray();
        for (Object o : hex) {
            byte[] p = Bcd.fromHex(String.valueOf(o));
            parts.add(p);
            checks.add(ctx.securityModule().componentCheckValue(p, suite));
        }
        WrappedKey tmk = ctx.securityModule().importTmk(parts, suite);
        parts.forEach(CipherSuite::wipe);
        String tid = c.pathParam("tid");
        String kcv = tmk.checkValue().substring(0, 6);
        ctx.store().loadTmk(tid, tmk, "ceremony")
                .compose(v -> store.audit(actor(c), "load TMK", tid, null, suite + " TMK, check value " + kcv))
                .onComplete(ar -> reply(c, ar.map(v -> new JsonObject().put("tid", tid).put("componentCheckValues", checks).put("checkValue", kcv))));
    }

    /**
     * Rotates the host master key on the running host: every stored key wrapped again under the LMK made of the
     * given clear components (check values only in the answer and the audit log); terminals keep their sessions.
     */
    private void rotateLmk(RoutingContext c) {
        JsonArray hex = body(c).getJsonArray("components");
        if (hex == null || hex.size() < 2) {
            throw new IllegalArgumentException("components: at least two clear 32-byte LMK components in hex");
        }
        List<byte[]> parts = new ArrayList<>();
        for (Object o : hex) {
            byte[] p = Bcd.fromHex(String.valueOf(o));
            if (p.length != 32) {
                throw new IllegalArgumentException("an LMK component is 32 bytes (64 hex digits)");
            }
            parts.add(p);
        }
        Future<LmkRotation.Result> rotation = new LmkRotation(ctx.vertx(), store.pool()).rotate(ctx.securityModule(), parts)
                .recover(e -> Future.failedFuture(e instanceof IllegalStateException ? new AdminStore.Conflict(e.getMessage()) : e));
        parts.forEach(CipherSuite::wipe);
        rotation.compose(r -> store.audit(actor(c), "rotate LMK", "host", "LMK check value " + r.fromCheckValue(),
                        "LMK check value " + r.toCheckValue() + "; " + r.tmks() + " TMKs and " + r.sessions() + " sessions wrapped again").map(r))
                .onComplete(ar -> reply(c, ar.map(r -> new JsonObject().put("fromCheckValue", r.fromCheckValue())
                        .put("toCheckValue", r.toCheckValue()).put("tmks", r.tmks()).put("sessions", r.sessions()))));
    }

    /** Creates an operator or the supervisor, or resets the password (and unlocks). */
    private void setOperator(RoutingContext c) {
        JsonObject b = body(c);
        String password = required(b, "password");
        if (!password.matches("\\d{6,8}")) {
            throw new IllegalArgumentException("a password is 6 to 8 digits");
        }
        String role = b.getString("role", "operator");
        if (!role.equals("operator") && !role.equals("supervisor")) {
            throw new IllegalArgumentException("role is operator or supervisor");
        }
        String tid = c.pathParam("tid");
        int no = operatorNo(c);
        ctx.<String>blocking(() -> PasswordHasher.hash(password.toCharArray(), ctx.config().passwordIterations()))
                .compose(hash -> ctx.store().setOperator(tid, no, role, hash))
                .compose(v -> store.audit(actor(c), "set " + role + " " + no, tid, null, "password set (not shown)"))
                .onComplete(ar -> reply(c, ar.map(v -> new JsonObject().put("tid", tid).put("operator", no).put("role", role))));
    }

    private void change(RoutingContext c, String action, Future<Void> work, String before, String after) {
        change(c, action, work, before, after, c.pathParam("tid"));
    }

    private void change(RoutingContext c, String action, Future<Void> work, String before, String after, String target) {
        work.compose(v -> store.audit(actor(c), action, target, before, after))
                .onComplete(ar -> reply(c, ar.map(v -> new JsonObject().put("done", action).put("target", target))));
    }

    // -- plumbing

    private void openApi(RoutingContext c) {
        resource(c, "admin/openapi.json", "application/json");
    }

    private void resource(RoutingContext c, String path, String type) {
        ctx.vertx().fileSystem().readFile(path).onComplete(ar -> {
            if (ar.succeeded()) {
                c.response().putHeader("content-type", type).end(ar.result());
            } else {
                error(c, 500, path + " is missing");
            }
        });
    }

    /** A signature image (JBIG, as uploaded) rendered as PNG, off the event loop; 422 when it does not decode. */
    private void signaturePng(RoutingContext c) {
        long id = longPath(c, "id");
        store.signatureImage(id).compose(bie -> bie == null ? Future.succeededFuture((byte[]) null)
                : ctx.<byte[]>blocking(() -> SignatureImages.toPng(bie))).onComplete(ar -> {
            if (ar.failed() && ar.cause() instanceof org.posfleet.protocol.signature.Jbig.JbigException e) {
                error(c, 422, "signature " + id + " is not a JBIG image this host decodes: " + e.getMessage());
            } else if (ar.failed()) {
                c.fail(ar.cause());
            } else if (ar.result() == null) {
                error(c, 404, "no signature " + id);
            } else {
                c.response().putHeader("content-type", "image/png").end(io.vertx.core.buffer.Buffer.buffer(ar.result()));
            }
        });
    }

    /** What the dashboard shows, once a second: connections, messages by kind, latency, codes, recent activity. */
    private void stats(RoutingContext c) {
        JsonObject kinds = new JsonObject();
        ctx.metrics().snapshot().forEach((k, v) -> kinds.put(k, new JsonObject().put("count", v[0]).put("p50Ms", v[1]).put("p99Ms", v[2])));
        JsonObject codes = new JsonObject();
        ctx.metrics().codes().forEach(codes::put);
        var gauge = ctx.metrics().registry().find("posfleet_terminal_connections").gauge();
        JsonObject failures = new JsonObject();
        ctx.metrics().registry().find("posfleet_password_failures").counters()
                .forEach(f -> failures.put(f.getId().getTag("who"), failures.getDouble(f.getId().getTag("who"), 0.0) + f.count()));
        JsonObject out = new JsonObject().put("connections", gauge == null ? 0 : gauge.value()).put("kinds", kinds).put("codes", codes)
                .put("passwordFailures", failures);
        store.transactions(null, null, null, null, null, 15).compose(tx -> {
            out.put("recentTransactions", tx);
            return store.recentSignOns(10);
        }).compose(so -> {
            out.put("recentSignOns", so);
            return store.lockedOperators();
        }).onComplete(ar -> reply(c, ar.map(locked -> out.put("lockedOperators", locked))));
    }

    private static String actor(RoutingContext c) {
        return c.get("actor");
    }

    private static void found(RoutingContext c, Future<JsonObject> f, String notFound) {
        f.onComplete(ar -> {
            if (ar.succeeded() && ar.result() == null) {
                error(c, 404, notFound);
            } else {
                reply(c, ar);
            }
        });
    }

    private static int operatorNo(RoutingContext c) {
        String no = c.pathParam("no");
        if (!no.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("an operator number is 0 to 999");
        }
        return Integer.parseInt(no);
    }

    private static long longPath(RoutingContext c, String name) {
        try {
            return Long.parseLong(c.pathParam(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is a number");
        }
    }

    private static Integer intParam(RoutingContext c, String name) {
        String v = c.queryParams().get(name);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is a number");
        }
    }

    private static java.time.LocalDate dateParam(RoutingContext c, String name) {
        String v = c.queryParams().get(name);
        try {
            return v == null ? null : java.time.LocalDate.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is a date, yyyy-mm-dd");
        }
    }

    private static int limit(RoutingContext c) {
        String l = c.queryParams().get("limit");
        int n = l == null ? 100 : l.matches("\\d{1,6}") ? Integer.parseInt(l) : -1;
        if (n < 1 || n > 10_000) {
            throw new IllegalArgumentException("limit is 1..10000");
        }
        return n;
    }

    private static JsonObject body(RoutingContext c) {
        try {
            JsonObject b = c.body().asJsonObject();
            return b == null ? new JsonObject() : b;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
    }

    private static String required(JsonObject b, String name) {
        Object v = b.getValue(name);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return s;
    }

    private static void json(RoutingContext c, Future<JsonArray> f) {
        f.onComplete(ar -> reply(c, ar.map(a -> a)));
    }

    private static void reply(RoutingContext c, io.vertx.core.AsyncResult<?> ar) {
        if (ar.failed()) {
            c.fail(ar.cause());
            return;
        }
        Object v = ar.result();
        c.response().putHeader("content-type", "application/json")
                .end(v instanceof JsonArray a ? a.encode() : v instanceof JsonObject o ? o.encode() : String.valueOf(v));
    }

    private void failure(RoutingContext c) {
        Throwable t = c.failure();
        if (t instanceof AdminStore.Conflict) {
            error(c, 409, t.getMessage());
        } else if (t instanceof AdminStore.NotFound) {
            error(c, 404, t.getMessage());
        } else if (t instanceof IllegalArgumentException || t instanceof org.posfleet.crypto.CryptoException) {
            error(c, 400, t.getMessage());
        } else if (c.statusCode() >= 400 && c.statusCode() < 500) {
            error(c, c.statusCode(), "bad request");
        } else {
            LOG.log(java.util.logging.Level.WARNING, "admin API failure on " + c.request().path(), t);
            error(c, 500, "internal error; see the host's log");
        }
    }

    private static void error(RoutingContext c, int status, String message) {
        if (!c.response().ended()) {
            c.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", message).encode());
        }
    }
}
