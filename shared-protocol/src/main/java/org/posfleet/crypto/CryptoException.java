package org.posfleet.crypto;

/**
 * A cryptographic operation could not be done with what was given: wrong key length, bad padding, a
 * check value or key block MAC that does not match. Messages never contain key material.
 */
public class CryptoException extends RuntimeException {
    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
