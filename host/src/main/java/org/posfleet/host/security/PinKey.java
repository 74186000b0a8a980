package org.posfleet.host.security;

/**
 * A session's PIK held by the security module as a keyed engine: it is unwrapped once per sign-on, not per PIN
 * block. Safe to share between the event loop (PIN blocks) and a worker thread (the supervisor's password).
 */
public interface PinKey {

    /** Decrypts an ISO 9564 format 0 PIN block for {@code pan} and returns the PIN's verification value. */
    String verifyPinBlock(byte[] block, String pan);

    /** Decrypts a credential block (format 0, zero PAN) and returns the password digits; the caller wipes them. */
    char[] decryptCredential(byte[] block);
}
