package org.posfleet.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.posfleet.host.config.HostConfig.AddressLimits;
import org.posfleet.host.net.AddressGuard.Verdict;

class AddressGuardTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void eachAddressHoldsAtMostItsConnectionsAndAClosedOneFreesAPlace() {
        AddressGuard guard = new AddressGuard(new AddressLimits(2, 0), now::get);
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.ADMIT);
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.ADMIT);
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.TOO_MANY);
        assertThat(guard.admit("10.0.0.2")).isEqualTo(Verdict.ADMIT);
        guard.release("10.0.0.1");
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.ADMIT);
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.TOO_MANY);
    }

    @Test
    void connectRateAllowsABurstOfTwiceTheRateThenRefillsWithTime() {
        AddressGuard guard = new AddressGuard(new AddressLimits(0, 5), now::get);
        for (int i = 0; i < 10; i++) {
            assertThat(guard.admit("10.0.0.1")).as("connect %d of the burst", i).isEqualTo(Verdict.ADMIT);
        }
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.TOO_FAST);
        assertThat(guard.admit("10.0.0.2")).as("another address has its own bucket").isEqualTo(Verdict.ADMIT);
        now.addAndGet(199_000_000L); // 0.995 of a token at 5/s
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.TOO_FAST);
        now.addAndGet(2_000_000L);
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.ADMIT);
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.TOO_FAST);
    }

    @Test
    void refusedConnectsDoNotCountAsHeld() {
        AddressGuard guard = new AddressGuard(new AddressLimits(1, 1), now::get);
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.ADMIT);
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.TOO_MANY);
        guard.release("10.0.0.1");
        assertThat(guard.admit("10.0.0.1")).as("the one token left of the burst of 2").isEqualTo(Verdict.ADMIT);
        guard.release("10.0.0.1");
        assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.TOO_FAST);
    }

    @Test
    void sweepForgetsAddressesThatHoldNothingOnceTheirBucketIsFull() {
        AddressGuard guard = new AddressGuard(new AddressLimits(0, 10), now::get);
        for (int i = 0; i < 1_000; i++) {
            guard.admit("10.0." + (i / 256) + "." + (i % 256));
        }
        guard.admit("10.9.9.9");
        for (int i = 0; i < 1_000; i++) {
            guard.release("10.0." + (i / 256) + "." + (i % 256));
        }
        guard.sweep();
        assertThat(guard.tracked()).as("buckets not yet refilled are kept").isEqualTo(1_001);
        now.addAndGet(1_000_000_000L);
        guard.sweep();
        assertThat(guard.tracked()).as("only the address still holding a connection").isEqualTo(1);
    }

    @Test
    void withoutLimitsEveryConnectIsAdmittedAndNothingIsKeptAfterClose() {
        AddressGuard guard = new AddressGuard(AddressLimits.NONE, now::get);
        for (int i = 0; i < 100; i++) {
            assertThat(guard.admit("10.0.0.1")).isEqualTo(Verdict.ADMIT);
        }
        for (int i = 0; i < 100; i++) {
            guard.release("10.0.0.1");
        }
        assertThat(guard.tracked()).isZero();
    }
}
