package org.posfleet.host.security;

import org.posfleet.crypto.CipherSuite;

/**
 * A key as the host holds it outside the security module: a TR-31 key block under the LMK, with the key's
 * check value. Safe to store, log and show.
 */
public record WrappedKey(String keyBlock, String checkValue, CipherSuite suite) {
}
