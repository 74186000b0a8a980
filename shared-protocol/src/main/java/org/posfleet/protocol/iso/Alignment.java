package org.posfleet.protocol.iso;

/**
 * Where an odd number of digits sits in its bytes. Fixed n fields are RIGHT aligned (a leading zero
 * nibble), variable n/z fields LEFT aligned (a trailing pad nibble); field 22 is the known exception.
 */
public enum Alignment {
    LEFT,
    RIGHT
}
