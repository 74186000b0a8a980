package org.posfleet.perf.peer;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jpos.core.ConfigurationException;
import org.jpos.core.SimpleConfiguration;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISORequestListener;
import org.jpos.iso.ISOServer;
import org.jpos.iso.ISOSource;
import org.jpos.iso.ServerChannel;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;
import org.jpos.util.ThreadPool;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.FleetKeys;
import org.posfleet.crypto.PinBlock;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.crypto.WorkingKeys;
import org.posfleet.host.security.PasswordVerifier;
import org.posfleet.host.store.Database;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.message.OperatorNumber;

/**
 * The peer for the end-to-end benchmark: a host for the same terminals built the way a jPOS shop would build it,
 * doing the work that matters on the sale path: jPOS's {@link ISOServer} (the engine a Q2 QServer deploys) with a
 * {@link NACChannel} (2-byte length, then the TPDU and the 6-byte header as an 11-byte channel header) and a
 * {@link GenericPackager} for this format (resources/jpos/cup-pos.xml); the POS ECB MAC of every request verified
 * and every reply MACed (jPOS has no CUP MAC: the project's crypto library, the same code the host uses); and the
 * same journal row inserted into the same PostgreSQL schema (embedded, synchronous commit on) with the reply
 * stored, before the reply leaves. A void also checks the supervisor's password (PBKDF2 against the operator table
 * provisioned for the fleet, remembering a verified password as the host does: {@link PasswordVerifier}) and marks
 * its sale voided, in one transaction.
 *
 * <p>What it does not do, so that its figures are an upper bound for jPOS: no PIN verification, no card
 * balances, no duplicate detection beyond the journal's unique key, no sign-on password check (sign-ons are not
 * measured). Tuned fairly: a thread per connection is jPOS's model, so the pool allows as many threads as
 * terminals ({@code maxSessions}); JDBC connections are pooled (as many as the host's pool). Built here against jPOS
 * 2.1 (Java 8 and newer), whose sessions run on platform threads; the same classes built with jPOS 3 (module
 * perf-jpos3, which needs JDK 24 or newer) run each session on a virtual thread.
 *
 * <p>With {@code handoff}, for terminals behind NACs (several on a connection): the listener hands each request to
 * a pool of threads (on jPOS 3, a virtual thread each) and returns, as a jPOS deployment serving NACs hands requests
 * to a transaction manager, so a connection's terminals are answered side by side, not one after another on its
 * reader thread; and its sockets send at once (TCP_NODELAY through jPOS's server socket factory), since replies now
 * follow each other closely.
 *
 * <pre>java -cp perf/target/benchmarks.jar org.posfleet.perf.peer.JposPeerHost PORT DATA_DIR DB_PORT FLEET_KEY_HEX [MAX_SESSIONS [handoff]]</pre>
 */
public final class JposPeerHost implements ISORequestListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMdd");
    private static final int SIGN_ON_CODE = 4; // double-length keys with a TDK, what the simulator asks for
    private static final PasswordVerifier PASSWORDS = new PasswordVerifier(100_000);

    private final byte[] fleetKey;
    private final BlockingQueue<Connection> connections;
    private final Map<String, WorkingKeys.Clear> sessions = new ConcurrentHashMap<>();
    /** Each terminal's open batch: settlement closes it, the next sign-on hands out the next (60.2), as the host does. */
    private final Map<String, Integer> batches = new ConcurrentHashMap<>();
    private final AtomicLong rrn = new AtomicLong(System.currentTimeMillis() % 100_000_000L * 1000);
    private final SecureRandom random = new SecureRandom();

    /** Where requests are answered when handed off; null: on the connection's reader thread. */
    private final java.util.concurrent.Executor handoff;

    JposPeerHost(byte[] fleetKey, BlockingQueue<Connection> connections, java.util.concurrent.Executor handoff) {
        this.fleetKey = fleetKey;
        this.connections = connections;
        this.handoff = handoff;
    }

    @Override
    public boolean process(ISOSource source, ISOMsg m) {
        if (handoff != null) {
            handoff.execute(() -> answer(source, m)); // the channel's send is synchronized: replies do not interleave
        } else {
            answer(source, m);
        }
        return true;
    }

    private void answer(ISOSource source, ISOMsg m) {
        try {
            ISOMsg reply = switch (m.getMTI()) {
                case "0800" -> signOn(m);
                case "0200", "0400" -> financial(m);
                case "0500" -> settlement(m);
                default -> plain(m, "00");
            };
            if (reply != null) {
                source.send(reply);
            }
        } catch (Exception e) {
            System.err.println("jPOS peer: " + e);
        }
    }

    private ISOMsg signOn(ISOMsg m) throws ISOException {
        String tid = m.getString(41).strip();
        byte[] tmk = FleetKeys.tmkFor(fleetKey, tid);
        int[] lengths = WorkingKeys.keyLengths(SIGN_ON_CODE);
        WorkingKeys.Clear keys = new WorkingKeys.Clear(key(lengths[0]), key(lengths[1]), key(lengths[2]));
        sessions.put(tid, keys);
        ISOMsg r = reply(m, "00");
        r.unset(63);
        r.set(62, WorkingKeys.pack(SIGN_ON_CODE, tmk, keys));
        String f60 = m.getString(60);
        int batch = batches.computeIfAbsent(tid, k -> Integer.parseInt(f60.substring(2, 8)));
        r.set(60, f60.substring(0, 2) + String.format("%06d", batch) + f60.substring(8));
        return r;
    }

    /** Sale, void and reversal: MAC, journal row (and for a void the password and the sale's status), MACed reply. */
    private ISOMsg financial(ISOMsg m) throws Exception {
        String tid = m.getString(41).strip();
        WorkingKeys.Clear keys = sessions.get(tid);
        if (keys == null) {
            return plain(m, "A0");
        }
        PosEcbMac mac = new PosEcbMac(CipherSuite.TDES, keys.mak());
        byte[] packed = m.pack();
        byte[] expected = mac.mac(Arrays.copyOf(packed, packed.length - 8));
        if (!MessageDigest.isEqual(expected, m.getBytes(64))) {
            return plain(m, "A0");
        }
        boolean isVoid = "0200".equals(m.getMTI()) && m.getString(3).startsWith("20");
        String code = m.getMTI().equals("0400") ? "reversal" : isVoid ? "SALE_VOID" : "SALE";
        ISOMsg r = reply(m, "00");
        r.unset(22, 26, 35, 36, 52, 53, 55, 62, 63);
        String ref = String.format("%012d", rrn.incrementAndGet() % 1_000_000_000_000L);
        r.set(37, ref);
        r.set(38, ref.substring(6));
        r.set(64, new byte[8]);
        byte[] out = r.pack();
        r.set(64, mac.mac(Arrays.copyOf(out, out.length - 8)));
        byte[] stored = r.pack();
        Connection c = connections.take();
        try {
            if (isVoid) {
                c.setAutoCommit(false);
                try {
                    if (!voidAllowed(c, tid, keys, m)) {
                        c.rollback();
                        return plain(m, "55");
                    }
                    insert(c, m, tid, code, ref, "voided", packed, stored);
                    try (PreparedStatement s = c.prepareStatement("update journal set status = 'voided' where tid = ? and rrn = ? and status = 'posted'")) {
                        s.setString(1, tid);
                        s.setString(2, m.getString(37));
                        s.executeUpdate();
                    }
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } else {
                insert(c, m, tid, m.getMTI().equals("0400") ? "SALE" : code, ref, m.getMTI().equals("0400") ? "reversed" : "posted", packed, stored);
            }
        } finally {
            connections.put(c);
        }
        return r;
    }

    private boolean voidAllowed(Connection c, String tid, WorkingKeys.Clear keys, ISOMsg m) throws SQLException {
        byte[] encrypted = m.hasField(63) ? OperatorNumber.credential(m.getString(63)) : null;
        if (encrypted == null) {
            return false;
        }
        byte[] block = PinBlock.decrypt(CipherSuite.TDES, keys.pik(), encrypted);
        char[] password = PinBlock.decodeCredential(block).toCharArray();
        try (PreparedStatement s = c.prepareStatement("select password_hash from operator where tid = ? and operator_no = 0")) {
            s.setString(1, tid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && PASSWORDS.matches(password, rs.getString(1));
            }
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The host's journal insert: the same table, columns and constraints; the reply stored with it. */
    private static void insert(Connection c, ISOMsg m, String tid, String kind, String rrn, String status, byte[] request, byte[] reply)
            throws Exception {
        try (PreparedStatement s = c.prepareStatement("insert into journal (tid, mid, batch_no, stan, message_class, kind, pan_masked, pan,"
                + " amount, rrn, auth_code, response_code, status, original_id, balance_delta, original_prev_status, request_digest, reply)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, null, ?, ?)")) {
            String pan = m.getString(2);
            long amount = m.hasField(4) ? Long.parseLong(m.getString(4)) : 0;
            s.setString(1, tid);
            s.setString(2, m.getString(42).strip());
            s.setInt(3, Integer.parseInt(m.getString(60).substring(2, 8)));
            s.setInt(4, Integer.parseInt(m.getString(11)));
            s.setInt(5, Integer.parseInt(m.getMTI().substring(1, 2)));
            s.setString(6, kind);
            s.setString(7, pan == null ? null : pan.substring(0, 6) + "******" + pan.substring(pan.length() - 4));
            s.setString(8, pan);
            s.setLong(9, amount);
            s.setString(10, rrn);
            s.setString(11, rrn.substring(6));
            s.setString(12, "00");
            s.setString(13, status);
            s.setLong(14, kind.equals("SALE") ? -amount : amount);
            s.setBytes(15, MessageDigest.getInstance("SHA-256").digest(request));
            s.setBytes(16, reply);
            s.executeUpdate();
        }
    }

    /** Settlement from the journal: the terminal's totals against the posted sales of its batch. */
    private ISOMsg settlement(ISOMsg m) throws Exception {
        String tid = m.getString(41).strip();
        int batch = Integer.parseInt(m.getString(60).substring(2, 8));
        String f48 = m.getString(48);
        long amount;
        long count;
        Connection c = connections.take();
        try (PreparedStatement s = c.prepareStatement("select coalesce(sum(amount), 0), count(*) from journal where tid = ? and batch_no = ?"
                + " and kind = 'SALE' and status = 'posted'")) {
            s.setString(1, tid);
            s.setInt(2, batch);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                amount = rs.getLong(1);
                count = rs.getLong(2);
            }
        } finally {
            connections.put(c);
        }
        boolean balanced = f48 != null && f48.length() >= 62 && Long.parseLong(f48.substring(0, 12)) == amount
                && Long.parseLong(f48.substring(12, 15)) == count;
        char result = balanced ? '1' : '2';
        batches.put(tid, batch % 999_999 + 1);
        ISOMsg r = reply(m, "00");
        if (f48 != null && f48.length() >= 62) {
            r.set(48, f48.substring(0, 30) + result + f48.substring(31, 61) + result + f48.substring(62));
        }
        return r;
    }

    private ISOMsg plain(ISOMsg m, String code) throws ISOException {
        ISOMsg r = reply(m, code);
        r.unset(52, 53, 62, 63, 64);
        return r;
    }

    private static ISOMsg reply(ISOMsg m, String code) throws ISOException {
        ISOMsg r = (ISOMsg) m.clone();
        r.setResponseMTI();
        // a reply swaps the TPDU's destination and source (docs/protocol.md); NACChannel swaps only a header of 5 bytes
        // alone, and this one is 11 (TPDU and header): terminals behind a NAC get their replies by this swap
        byte[] h = m.getHeader();
        if (h != null && h.length >= 5) {
            byte[] swapped = h.clone();
            System.arraycopy(h, 1, swapped, 3, 2);
            System.arraycopy(h, 3, swapped, 1, 2);
            r.setHeader(swapped);
        }
        LocalDateTime now = LocalDateTime.now();
        r.set(12, now.format(TIME));
        r.set(13, now.format(DATE));
        r.set(39, code);
        return r;
    }

    private byte[] key(int length) {
        byte[] k = new byte[length];
        random.nextBytes(k);
        return k;
    }

    /**
     * jPOS 3 (JDK 24 and newer) runs each session on a virtual thread when its configuration says so, and bounds the
     * sessions itself; jPOS 2.1 takes a pool of platform threads. The peer is compiled against 2.1 and runs on either
     * jar (the jPOS 3 build of it is perf-jpos3), so the one constructor that differs is looked up.
     */
    static ISOServer server(int port, ServerChannel channel, int maxSessions) throws ReflectiveOperationException, ConfigurationException {
        var jpos3 = jpos3Constructor();
        if (jpos3.isEmpty()) {
            return new ISOServer(port, channel, new ThreadPool(16, maxSessions, "jpos-peer"));
        }
        ISOServer server = jpos3.get().newInstance(port, channel, maxSessions);
        SimpleConfiguration cfg = new SimpleConfiguration();
        cfg.put("virtual-threads", "true");
        server.setConfiguration(cfg); // where jPOS 3 creates its session executor
        return server;
    }

    /** jPOS 3's {@code ISOServer(port, channel, maxSessions)}; empty on jPOS 2.1. */
    private static java.util.Optional<java.lang.reflect.Constructor<ISOServer>> jpos3Constructor() {
        try {
            return java.util.Optional.of(ISOServer.class.getConstructor(int.class, ServerChannel.class, int.class));
        } catch (NoSuchMethodException jpos2) {
            return java.util.Optional.empty();
        }
    }

    /** The jPOS the peer runs on, e.g. "jPOS 2.1.10 ... on platform threads, JDK 17". */
    static String describe() {
        return "jPOS " + org.jpos.q2.Q2.getVersion() + (jpos3Constructor().isPresent() ? " on virtual threads" : " on platform threads")
                + ", JDK " + Runtime.version().feature();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]);
        int dbPort = Integer.parseInt(args[2]);
        byte[] fleetKey = Bcd.fromHex(args[3]);
        int maxSessions = args.length > 4 ? Integer.parseInt(args[4]) : 20_000;
        Database db = Database.open(null, dataDir, dbPort); // the host's schema, migrated as the host does
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                db.close();
            } catch (java.io.IOException ignored) {
                // the JVM is going
            }
        }));
        int poolSize = Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
        BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            pool.add(DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres", "postgres", "postgres"));
        }
        GenericPackager packager;
        try (InputStream xml = JposPeerHost.class.getResourceAsStream("/jpos/cup-pos.xml")) {
            packager = new GenericPackager(xml);
        }
        // the TPDU (5 bytes) and the 6-byte header travel as one 11-byte channel header, echoed in replies
        NACChannel channel = new NACChannel(packager, new byte[11]);
        ISOServer server = server(port, channel, maxSessions);
        boolean handOff = args.length > 5 && args[5].equals("handoff");
        // as many threads as JDBC connections and as many again waiting for one: a request holds a connection while it runs
        // on jPOS 3 (JDK 24+) a virtual thread per request, as its own sessions; compiled for 17, hence looked up
        boolean virtual = jpos3Constructor().isPresent();
        java.util.concurrent.Executor handoff = !handOff ? null : virtual
                ? (java.util.concurrent.Executor) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null)
                : java.util.concurrent.Executors.newFixedThreadPool(2 * poolSize);
        server.addISORequestListener(new JposPeerHost(fleetKey, pool, handoff));
        if (handOff) {
            // several replies in a row on one connection: with Nagle's algorithm (jPOS 2.1's channels leave it on) each
            // waits for the client's delayed acknowledgement of the one before, 40 ms here. A connection of one terminal
            // has one reply out at a time, which Nagle never holds back.
            server.setSocketFactory(p -> new java.net.ServerSocket(p) {
                @Override
                public java.net.Socket accept() throws java.io.IOException {
                    java.net.Socket s = super.accept();
                    s.setTcpNoDelay(true);
                    return s;
                }
            });
        }
        Thread t = new Thread(server, "jpos-peer-server");
        t.start();
        System.out.println(describe() + ": peer host on port " + port + ", up to " + maxSessions + " sessions, " + poolSize + " JDBC connections, "
                + (!handOff ? "" : virtual ? "requests handed to virtual threads, " : "requests handed to " + 2 * poolSize + " threads, ")
                + db.description());
        t.join();
    }
}
