package org.posfleet.host.store;

/** A registered terminal: TID, its merchant, the device bound to it, status and current batch. */
public record Terminal(String tid, String mid, String deviceSerial, String status, int batchNo) {
    public boolean active() {
        return "active".equals(status);
    }
}
