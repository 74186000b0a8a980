package org.posfleet.host.store;

import java.time.Instant;
import org.posfleet.host.security.WrappedKey;

/** The working keys of a terminal's current sign-on, wrapped under the LMK. */
public record Session(String tid, long keyVersion, int signOnCode, int operatorNo, WrappedKey pik, WrappedKey mak,
                      WrappedKey tdk, Instant issuedAt, long uses) {
}
