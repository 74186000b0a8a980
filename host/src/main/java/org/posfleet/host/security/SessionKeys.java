package org.posfleet.host.security;

/**
 * Fresh working keys for a sign-on: field 62 for the terminal (keys under its TMK with check values) and
 * the same keys wrapped under the LMK for storage. {@code tdk} is null for 001 and 003.
 */
public record SessionKeys(byte[] field62, WrappedKey pik, WrappedKey mak, WrappedKey tdk) {
}
