package org.posfleet.protocol.field;

import java.util.ArrayList;
import java.util.List;

/** The sub-field tables of the composite fields. Typed field records read their parts through these. */
public final class SubFieldLayouts {

    public static final SubFieldLayout ENTRY_MODE_22 = new SubFieldLayout(22, "POS entry mode", List.of(
            new SubField("22.1", "PAN entry mode (01 manual, 02 swipe, 05 contact IC, 07 contactless)", 2),
            new SubField("22.2", "PIN entry capability (1 PIN entered, 2 no PIN)", 1)));

    public static final SubFieldLayout SECURITY_CONTROL_53 = new SubFieldLayout(53, "security control", List.of(
            new SubField("53.1", "PIN format (2 ISO 9564 format 0 with PAN, 1 without PAN)", 1),
            new SubField("53.2", "encryption algorithm (0 single DES, 6 double-length 3DES, 4 SM4)", 1),
            new SubField("53.3", "track encryption (0 none, 1 encrypted with TDK)", 1),
            new SubField("53.4", "reserved", 13)));

    public static final SubFieldLayout RESERVED_60 = new SubFieldLayout(60, "reserved private", List.of(
            new SubField("60.1", "message type code", 2),
            new SubField("60.2", "batch number", 6),
            new SubField("60.3", "network management information code", 3),
            new SubField("60.4", "terminal read capability", 1),
            new SubField("60.5", "IC condition code", 1),
            new SubField("60.6", "partial approval flag", 1),
            new SubField("60.7", "account type", 3)));

    public static final SubFieldLayout ORIGINAL_61 = new SubFieldLayout(61, "original message", List.of(
            new SubField("61.1", "original batch number", 6),
            new SubField("61.2", "original STAN", 6),
            new SubField("61.3", "original date MMDD", 4),
            new SubField("61.4", "original authorization method", 2),
            new SubField("61.5", "original authorizing institution", 11)));

    public static final SubFieldLayout SETTLEMENT_TOTALS_48 = new SubFieldLayout(48, "settlement totals", totals());

    private SubFieldLayouts() {
    }

    private static List<SubField> totals() {
        List<SubField> parts = new ArrayList<>();
        String[] scopes = {"domestic", "foreign"};
        for (int s = 0; s < 2; s++) {
            int base = 5 * s;
            parts.add(new SubField("48." + (base + 1), scopes[s] + " debit amount", 12));
            parts.add(new SubField("48." + (base + 2), scopes[s] + " debit count", 3));
            parts.add(new SubField("48." + (base + 3), scopes[s] + " credit amount", 12));
            parts.add(new SubField("48." + (base + 4), scopes[s] + " credit count", 3));
            parts.add(new SubField("48." + (base + 5), scopes[s] + " result (0 request, 1 balanced, 2 not balanced, 3 error)", 1));
        }
        return parts;
    }

    /** The layout used to show field {@code field} of a message, or null when the field is not composite. */
    public static SubFieldLayout forField(int field) {
        return switch (field) {
            case 22 -> ENTRY_MODE_22;
            case 53 -> SECURITY_CONTROL_53;
            case 60 -> RESERVED_60;
            case 61 -> ORIGINAL_61;
            case 48 -> SETTLEMENT_TOTALS_48;
            default -> null;
        };
    }
}
