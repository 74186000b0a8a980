package org.posfleet.fleet.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FleetConfigTest {

    private static FleetConfig fleet(String faults, boolean perTransaction) {
        return new FleetConfig("127.0.0.1", 9583, 100, 20000001, "898100000000001", "FLEET-", new byte[16], "123456", "888888", 100, 1, 1,
                Mix.parse("sale=100"), 1, 10_000, 5, null, 1, 500, Fault.Plan.parse(faults), null, false, perTransaction);
    }

    @Test
    void terminalsSharingAConnectionTakeTheFaultsThatLeaveTheConnectionAlone() {
        FleetConfig shared = fleet("duplicate=5,bad-mac=5,wrong-password=5,late-reversal=5,bad-bitmap=5", false).withTerminalsPerConnection(50);
        assertThat(shared.terminalsPerConnection()).isEqualTo(50);
        assertThat(fleet("", false).terminalsPerConnection()).as("a connection each unless asked").isEqualTo(1);
    }

    @Test
    void faultsOnAConnectionAndAConnectionPerTransactionAreRefusedForTerminalsSharingOne() {
        for (String f : new String[] {"split=1", "disconnect=1", "slow-reader=1", "bad-length=1"}) {
            assertThatThrownBy(() -> fleet(f, false).withTerminalsPerConnection(2)).as(f).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("own connection");
        }
        assertThatThrownBy(() -> fleet("", true).withTerminalsPerConnection(2)).hasMessageContaining("per transaction");
        assertThatThrownBy(() -> fleet("", false).withTerminalsPerConnection(0)).hasMessageContaining("1 to 65,535");
        assertThatThrownBy(() -> fleet("", false).withTerminalsPerConnection(65_536)).hasMessageContaining("two bytes");
    }
}
