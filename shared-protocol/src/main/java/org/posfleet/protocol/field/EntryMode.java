package org.posfleet.protocol.field;

import org.posfleet.protocol.iso.Digits;

/**
 * Field 22: how the PAN was read and whether a PIN was entered, e.g. "021" swipe with PIN.
 *
 * @param panEntry      01 manual, 02 swipe, 05 contact IC, 07 contactless (others accepted as they come)
 * @param pinCapability 1 PIN entered, 2 no PIN
 */
public record EntryMode(int panEntry, int pinCapability) {

    public static final int MANUAL = 1;
    public static final int SWIPE = 2;
    public static final int CONTACT_IC = 5;
    public static final int CONTACTLESS = 7;

    public EntryMode {
        if (panEntry < 0 || panEntry > 99 || pinCapability < 0 || pinCapability > 9) {
            throw new IllegalArgumentException("entry mode out of range");
        }
    }

    public static EntryMode parse(String digits) {
        SubFieldLayout l = SubFieldLayouts.ENTRY_MODE_22;
        return new EntryMode(Integer.parseInt(l.part(digits, 0)), Integer.parseInt(l.part(digits, 1)));
    }

    public boolean pinEntered() {
        return pinCapability == 1;
    }

    public String digits() {
        return Digits.append(new StringBuilder(3), panEntry, 2).append(pinCapability).toString();
    }
}
