package org.posfleet.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordVerifierTest {

    private static final String SUPERVISOR = PasswordHasher.hash("123456".toCharArray(), 1000);

    @Test
    void aHashNeverVerifiedIsLeftToPbkdf2() {
        PasswordVerifier v = new PasswordVerifier(10);
        assertThat(v.known("123456".toCharArray(), SUPERVISOR)).isNull();
        assertThat(v.known("123456".toCharArray(), null)).isNull();
    }

    @Test
    void afterOneVerificationTheRightPasswordAndAWrongOneAreToldWithoutPbkdf2() {
        PasswordVerifier v = new PasswordVerifier(10);
        assertThat(v.verify("123456".toCharArray(), SUPERVISOR)).isTrue();
        assertThat(v.known("123456".toCharArray(), SUPERVISOR)).isTrue();
        assertThat(v.known("123457".toCharArray(), SUPERVISOR)).isFalse();
        assertThat(v.known("".toCharArray(), SUPERVISOR)).isFalse();
        assertThat(v.matches("654321".toCharArray(), SUPERVISOR)).isFalse();
    }

    @Test
    void aFailedVerificationIsNotRemembered() {
        PasswordVerifier v = new PasswordVerifier(10);
        assertThat(v.verify("000000".toCharArray(), SUPERVISOR)).isFalse();
        assertThat(v.known("000000".toCharArray(), SUPERVISOR)).isNull();
        assertThat(v.known("123456".toCharArray(), SUPERVISOR)).isNull();
    }

    @Test
    void aPasswordSetAgainIsANewHashAndIsCheckedWithPbkdf2Again() {
        PasswordVerifier v = new PasswordVerifier(10);
        v.verify("123456".toCharArray(), SUPERVISOR);
        String changed = PasswordHasher.hash("999999".toCharArray(), 1000);
        assertThat(v.known("999999".toCharArray(), changed)).isNull();
        assertThat(v.matches("123456".toCharArray(), changed)).as("the old password against the new hash").isFalse();
        assertThat(v.matches("999999".toCharArray(), changed)).isTrue();
    }

    @Test
    void aRememberedPasswordIsBoundToItsHashNotSharedWithAnotherOfTheSamePassword() {
        PasswordVerifier v = new PasswordVerifier(10);
        String other = PasswordHasher.hash("123456".toCharArray(), 1000); // same password, another salt
        v.verify("123456".toCharArray(), SUPERVISOR);
        assertThat(v.known("123456".toCharArray(), other)).isNull();
    }

    @Test
    void theLeastRecentlyUsedEntryLeavesFirstWhenFull() {
        PasswordVerifier v = new PasswordVerifier(2);
        String a = PasswordHasher.hash("111111".toCharArray(), 1000);
        String b = PasswordHasher.hash("222222".toCharArray(), 1000);
        String c = PasswordHasher.hash("333333".toCharArray(), 1000);
        v.verify("111111".toCharArray(), a);
        v.verify("222222".toCharArray(), b);
        v.known("111111".toCharArray(), a); // a used last: b is the eldest
        v.verify("333333".toCharArray(), c);
        assertThat(v.known("111111".toCharArray(), a)).isTrue();
        assertThat(v.known("222222".toCharArray(), b)).isNull();
        assertThat(v.known("333333".toCharArray(), c)).isTrue();
    }
}
