package org.posfleet.host.store;

/** A terminal's operator or supervisor; the password only as a slow hash. */
public record Operator(String tid, int operatorNo, String role, String passwordHash, int failedAttempts, boolean locked) {
}
