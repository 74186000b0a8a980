package org.posfleet.host.store;

/**
 * A registered terminal: TID, its merchant, the device bound to it, status and current batch, and whether its
 * merchant is active (a disabled merchant's terminals are refused with 03).
 */
public record Terminal(String tid, String mid, String deviceSerial, String status, int batchNo, boolean merchantActive) {
    public boolean active() {
        return "active".equals(status);
    }
}
