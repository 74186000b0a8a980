package org.posfleet.host.security;

import java.util.List;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.KeyTransport;
import org.posfleet.protocol.iso.MacSigner;

/**
 * Every operation on clear key material, behind one interface: this is where a hardware security module
 * plugs in. Callers see only {@link WrappedKey}s (TR-31 blocks under the LMK) and check values; clear keys
 * exist only inside an implementation.
 *
 * <p>{@link SoftwareSecurityModule} is a software implementation: honest about it, the LMK lives in this
 * process's memory. A real deployment replaces it with a module that talks to an HSM (Thales payShield,
 * Utimaco, a cloud HSM): the same calls map onto the HSM's key-import, generate, translate and MAC commands.
 */
public interface SecurityModule {

    /** Check value of the LMK, so that operators can tell which master key a host runs with. */
    String lmkCheckValue();

    /**
     * Installs the PIN verification key from its block under the LMK, as stored; with null, makes the block
     * (first start). Returns the block to store. Call once at start, before PIN verification values are used.
     */
    String installPvk(String storedBlock);

    /**
     * Starts rotating the LMK to one made of {@code components}: from now on new keys are wrapped under it and
     * stored keys unwrap under either. Returns the new LMK's check value. One rotation at a time; the same one
     * may be begun again (after a failed attempt to re-wrap what is stored).
     */
    String beginLmkRotation(List<byte[]> components);

    /** A stored key block (any usage) wrapped under the new LMK; a block already under it comes back as it is. */
    String rewrapUnderNewLmk(String keyBlock);

    /** Ends a rotation once nothing stored is under the old LMK: the new LMK replaces it and the old is forgotten. */
    void finishLmkRotation();

    /** Combines clear components (XOR) into a TMK; the components' check values are the caller's to show. */
    WrappedKey importTmk(List<byte[]> components, CipherSuite suite);

    /** A fresh random TMK, for remote key download. */
    WrappedKey generateTmk(CipherSuite suite);

    /** The TMK encrypted under a terminal's public key (remote key download). CPU-heavy: not on an event loop. */
    byte[] exportTmk(WrappedKey tmk, KeyTransport transport, byte[] publicKeyDer);

    /** Fresh PIK, MAK and (when the code asks) TDK under the TMK for a sign-on with 60.3 = {@code signOnCode}. */
    SessionKeys issueWorkingKeys(WrappedKey tmk, int signOnCode);

    /** A MAC signer keyed with the MAK; the signer is not thread-safe, one per event loop. */
    MacSigner macSigner(WrappedKey mak);

    /** The PIK (or, for sign-on credentials, the TMK) as a keyed engine, for the many blocks of one session. */
    PinKey pinKey(WrappedKey key);

    /**
     * Decrypts a credential block (operator or supervisor password, ISO 9564 format 0 with a zero PAN) under
     * {@code key} and returns the password digits. The caller hashes them and wipes the array.
     */
    char[] decryptCredential(WrappedKey key, byte[] block);

    /**
     * The PIN verification value of a PAN and PIN: a keyed one-way value (the key never leaves the module), so
     * that a copy of the card table does not reveal PINs. Stored instead of the PIN.
     */
    String pinVerificationValue(String pan, char[] pin);

    /**
     * Decrypts a PIN block (field 52, or 62 under SM4) under the PIK and returns its PIN verification value;
     * throws CryptoException when the block is not a format 0 block for this PAN (the host answers 99).
     */
    String verifyPinBlock(WrappedKey pik, byte[] block, String pan);

    /** Decrypts track data in place with the TDK (53.3 = 1) and returns the clear track digits. */
    String decryptTrack(WrappedKey tdk, String track);

    /** Check value of a component for display (first 3 bytes, hex). */
    String componentCheckValue(byte[] component, CipherSuite suite);
}
