package org.posfleet.protocol.field;

/** One sub-field of a composite numeric field: its id as people write it ("60.3"), name and digit count. */
public record SubField(String id, String name, int digits) {
}
