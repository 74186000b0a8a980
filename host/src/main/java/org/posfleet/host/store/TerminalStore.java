package org.posfleet.host.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import org.posfleet.host.security.SessionKeys;
import org.posfleet.host.security.WrappedKey;

/** The narrow storage interface the flows see. Absent rows come back as null. */
public interface TerminalStore {

    Future<Terminal> terminal(String tid);

    Future<WrappedKey> tmk(String tid, String state);

    Future<Operator> operator(String tid, int operatorNo);

    /** Counts a wrong password; returns true when this failure locked the operator. */
    Future<Boolean> passwordFailed(String tid, int operatorNo, int maxFailures);

    Future<Void> passwordAccepted(String tid, int operatorNo);

    /** As {@link #passwordFailed(String, int, int)}, in the caller's transaction (a void's posting). */
    Future<Boolean> passwordFailed(SqlClient c, String tid, int operatorNo, int maxFailures);

    /** As {@link #passwordAccepted(String, int)}, in the caller's transaction. */
    Future<Void> passwordAccepted(SqlClient c, String tid, int operatorNo);

    /** Replaces the terminal's session with fresh keys; the key version grows with every sign-on. */
    Future<Session> startSession(String tid, int signOnCode, int operatorNo, SessionKeys keys);

    /** Counts one use of the session's keys and returns the session, or null when none. */
    Future<Session> useSession(String tid);

    /** What the gate of a MACed message needs, read in one round trip: null when the TID is unknown. */
    record GateRow(Terminal terminal, boolean tmkLoaded, Session session, long gateVersion) {
        /** What the gate decided on, comparable with a later read (see {@link State}). */
        public State state() {
            return new State(gateVersion);
        }
    }

    /**
     * The version of what decides whether a message passes the gate: the terminal (merchant, device, status, batch),
     * its merchant's status, its TMK and the version of its working keys. The database gives every change to any of
     * them a new version (its triggers, so no writer can forget). A posting admitted on a cached row reads the
     * version again in its own transaction and goes back to the gate when it changed.
     */
    record State(long gateVersion) {
    }

    /**
     * The terminal (with its merchant's status), whether it has an active TMK, and its session, in one read-only
     * statement: the gate runs before every MACed message, and a write there would cost a commit (a WAL flush)
     * per message. Uses of the working keys are counted by the gate and written with {@link #addKeyUses}.
     */
    Future<GateRow> gate(String tid);

    /**
     * Adds uses of working keys, for many sessions in one statement: {@code uses[i]} to the session of
     * {@code tids[i]} if it still has key version {@code keyVersions[i]} (uses of replaced keys are dropped).
     */
    Future<Void> addKeyUses(String[] tids, Long[] keyVersions, Long[] uses);

    Future<Void> endSession(String tid);

    Future<Void> storePendingTmk(String tid, WrappedKey tmk);

    /** Activates the pending TMK when its check value matches; ends the session. False when nothing matched. */
    Future<Boolean> activatePendingTmk(String tid, String checkValue);

    Future<Void> event(String tid, String event, String detail);

    // administration (command line today, admin API later)

    Future<Void> registerTerminal(String tid, String mid, String merchantName, String deviceSerial);

    Future<Void> loadTmk(String tid, WrappedKey tmk, String source);

    Future<Void> setOperator(String tid, int operatorNo, String role, String passwordHash);

    /** Removes an operator; for the supervisor this revokes the void password. True when one was removed. */
    Future<Boolean> removeOperator(String tid, int operatorNo);

    /** A host setting (the LMK check value, the PIN verification key's block): {@code proposed} is recorded if none is. */
    Future<String> setting(String name, String proposed);
}
