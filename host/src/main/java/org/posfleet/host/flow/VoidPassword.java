package org.posfleet.host.flow;

import java.util.Arrays;
import org.posfleet.crypto.CryptoException;
import org.posfleet.host.security.PasswordVerifier;
import org.posfleet.host.security.PinKey;
import org.posfleet.host.store.Operator;
import org.posfleet.protocol.message.CardTransaction;

/**
 * The supervisor's void password a void carries in 63 (the supervisor's number and the credential block under the
 * PIK), decrypted once when the void arrives and checked against the supervisor's row that the void's posting reads
 * in its first statement. Only a password this host has not verified against that row's hash needs PBKDF2, which must
 * not run inside the posting's transaction: the check then says {@link Verdict#UNKNOWN}, the flow verifies on a
 * worker ({@link #verify}) and posts again, and the outcome is kept here for that stored hash, wrong or right.
 *
 * <p>Confined to one void on its event loop, but for {@link #verify}, which runs on a worker between two postings.
 * The clear password is wiped by {@link #wipe} when the void is answered.
 */
final class VoidPassword {

    /** The check's outcome, in the order of the rules: 55, 75, 99, then the password itself. */
    enum Verdict { NO_SUPERVISOR, LOCKED, MALFORMED, MATCH, MISMATCH, UNKNOWN }

    private final int supervisor;
    private final char[] password;
    private final boolean malformed;
    /** The stored hash the check could not decide on without PBKDF2 (set before a deferral, read by the worker). */
    private volatile String toVerify;
    private volatile String verifiedHash;
    private volatile boolean verifiedMatch;

    private VoidPassword(int supervisor, char[] password, boolean malformed) {
        this.supervisor = supervisor;
        this.password = password;
        this.malformed = malformed;
    }

    static VoidPassword of(CardTransaction.Request req, PinKey pins) {
        if (req.supervisor() < 0 || req.supervisorBlock() == null) {
            return new VoidPassword(-1, null, false);
        }
        try {
            return new VoidPassword(req.supervisor(), pins.decryptCredential(req.supervisorBlock()), false);
        } catch (CryptoException e) {
            return new VoidPassword(req.supervisor(), null, true);
        }
    }

    /** The operator the posting reads (null: the void named none, it is refused without a read). */
    Integer operatorNo() {
        return supervisor < 0 ? null : supervisor;
    }

    /** Checks against {@code op}, the row the posting read; a password decided only by PBKDF2 is {@link Verdict#UNKNOWN}. */
    Verdict check(Operator op, PasswordVerifier passwords) {
        if (supervisor < 0 || op == null || !"supervisor".equals(op.role())) {
            return Verdict.NO_SUPERVISOR;
        }
        if (op.locked()) {
            return Verdict.LOCKED;
        }
        if (malformed) {
            return Verdict.MALFORMED;
        }
        Boolean known = op.passwordHash().equals(verifiedHash) ? Boolean.valueOf(verifiedMatch) : passwords.known(password, op.passwordHash());
        if (known == null) {
            toVerify = op.passwordHash();
            return Verdict.UNKNOWN;
        }
        return known ? Verdict.MATCH : Verdict.MISMATCH;
    }

    /** PBKDF2 against the hash the last check could not decide on: a worker's. */
    void verify(PasswordVerifier passwords) {
        String stored = toVerify;
        verifiedMatch = passwords.verify(password, stored);
        verifiedHash = stored;
    }

    void wipe() {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
