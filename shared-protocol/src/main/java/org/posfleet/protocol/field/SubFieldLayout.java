package org.posfleet.protocol.field;

import java.util.ArrayList;
import java.util.List;

/**
 * The sub-field layout of a composite n field: consecutive digit runs. Trailing sub-fields are optional
 * (terminals send 60 with only 60.1..60.3); digits beyond the last known sub-field are kept as "rest",
 * because newer terminals add sub-fields the table does not know yet.
 */
public record SubFieldLayout(int field, String name, List<SubField> parts) {

    public SubFieldLayout {
        parts = List.copyOf(parts);
    }

    /** Digits of part {@code index}, or null when the value is too short to hold it. */
    public String part(String digits, int index) {
        int from = 0;
        for (int i = 0; i < index; i++) {
            from += parts.get(i).digits();
        }
        int to = from + parts.get(index).digits();
        return digits.length() >= to ? digits.substring(from, to) : null;
    }

    /** Digits after the last known sub-field ("" when none). */
    public String rest(String digits) {
        int known = parts.stream().mapToInt(SubField::digits).sum();
        return digits.length() > known ? digits.substring(known) : "";
    }

    /** Every present part with its value, in order; a partial last part is shown as it is. */
    public List<String[]> split(String digits) {
        List<String[]> out = new ArrayList<>();
        int p = 0;
        for (SubField part : parts) {
            if (p >= digits.length()) {
                break;
            }
            int to = Math.min(digits.length(), p + part.digits());
            out.add(new String[] {part.id(), part.name(), digits.substring(p, to)});
            p = to;
        }
        if (p < digits.length()) {
            out.add(new String[] {field + ".+", "further sub-fields", digits.substring(p)});
        }
        return out;
    }
}
