package org.posfleet.protocol.iso;

/**
 * One row of the field-spec table.
 *
 * @param number      field number, 2..64
 * @param type        attribute class
 * @param length      fixed length, or the nominal maximum of a variable field (digits for n/z, bytes otherwise)
 * @param prefix      length prefix
 * @param alignment   where an odd digit count sits (only meaningful for n/z)
 * @param name        short name, as shown by the decode command
 */
public record FieldSpec(int number, FieldType type, int length, Prefix prefix, Alignment alignment, String name) {

    public FieldSpec {
        if (number < 2 || number > 64) {
            throw new IllegalArgumentException("field number " + number);
        }
        if (prefix != Prefix.FIXED && length > prefix.capacity()) {
            throw new IllegalArgumentException("field " + number + " longer than its prefix allows");
        }
    }

    public boolean fixed() {
        return prefix == Prefix.FIXED;
    }

    /**
     * The largest length the decoder and encoder accept: the fixed length, or for variable fields what the
     * prefix can express. Terminals in the field exceed the nominal maxima (field 60 longer than 17 digits);
     * whether a value is allowed is the business flow's question, not the codec's.
     */
    public int acceptedMax() {
        return fixed() ? length : prefix.capacity();
    }

    /** Human readable format, e.g. {@code n..19 LLVAR} or {@code ans8}. */
    public String format() {
        String t = type.name().toLowerCase();
        return switch (prefix) {
            case FIXED -> t + length;
            case LL -> t + ".." + length + " LLVAR";
            case LLL -> t + ".." + length + " LLLVAR";
        };
    }
}
