package org.posfleet.protocol.iso;

/**
 * The only exception decoding untrusted bytes may throw. It names what was wrong, the field (0 for the
 * frame, MTI or bitmap) and the byte offset in the frame body where decoding stopped.
 *
 * <p>No stack trace is filled: hostile input must not make errors expensive, and the field and offset
 * say more than a trace would.
 */
public final class ProtocolException extends RuntimeException {

    /** What kind of malformation was found; the host maps each to a response or a closed connection. */
    public enum Reason {
        /** The frame ended before a part it announces. */
        TRUNCATED,
        /** Bytes are left over after the last field the bitmap announces. */
        TRAILING_BYTES,
        /** The frame's 2-byte length is outside the accepted range. */
        FRAME_LENGTH,
        /** A length prefix is not BCD or exceeds what the field or the frame allows. */
        BAD_LENGTH_PREFIX,
        /** A numeric (n/z) field or the MTI carries a nibble that is not a digit. */
        BAD_DIGIT,
        /** The bitmap announces a field that this format does not define (1, or 65 and up). */
        BAD_BITMAP,
        /** A sub-field inside a field is malformed. */
        BAD_SUBFIELD
    }

    private final Reason reason;
    private final int field;
    private final int offset;

    public ProtocolException(Reason reason, int field, int offset, String detail) {
        super(reason + " at field " + field + ", offset " + offset + ": " + detail, null, false, false);
        this.reason = reason;
        this.field = field;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** The field being decoded; 0 for the frame, TPDU, header, MTI or bitmap. */
    public int field() {
        return field;
    }

    /** Byte offset in the frame body (after the 2-byte length) where the problem was found. */
    public int offset() {
        return offset;
    }
}
