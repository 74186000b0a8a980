package org.posfleet.protocol.field;

import java.util.ArrayList;
import java.util.List;

/**
 * Field 48 of a magstripe batch upload (0320, 60.3 = 201): item count n2, then per item card
 * organisation n2 (00 domestic, 01 foreign), PAN length n2, PAN n19 (left aligned, zero filled) and
 * amount n12. The PAN length keeps the PAN exact whatever digits it ends in. At most 8 items per message
 * (2 + 8 x 35 = 282 digits, within 48's 322). This layout is the project's choice (docs/protocol.md).
 */
public record BatchUploadItems(List<Item> items) {

    public static final int MAX_ITEMS = 8;
    private static final int ITEM_DIGITS = 35;

    public record Item(int cardOrganisation, String pan, long amount) {
        public Item {
            if (cardOrganisation < 0 || cardOrganisation > 99 || pan.isEmpty() || pan.length() > 19 || !pan.chars().allMatch(c -> c >= '0' && c <= '9')
                    || amount < 0 || amount > 999_999_999_999L) {
                throw new IllegalArgumentException("batch upload item out of range");
            }
        }
    }

    public BatchUploadItems {
        items = List.copyOf(items);
        if (items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("at most " + MAX_ITEMS + " items per batch upload message");
        }
    }

    /** Null when the digits do not match the announced count. */
    public static BatchUploadItems parse(String digits) {
        if (digits == null || digits.length() < 2) {
            return null;
        }
        int count = Integer.parseInt(digits.substring(0, 2));
        if (count > MAX_ITEMS || digits.length() != 2 + count * ITEM_DIGITS) {
            return null;
        }
        List<Item> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int p = 2 + i * ITEM_DIGITS;
            int panLength = Integer.parseInt(digits.substring(p + 2, p + 4));
            if (panLength < 1 || panLength > 19) {
                return null;
            }
            String pan = digits.substring(p + 4, p + 4 + panLength);
            items.add(new Item(Integer.parseInt(digits.substring(p, p + 2)), pan, Long.parseLong(digits.substring(p + 23, p + 35))));
        }
        return new BatchUploadItems(items);
    }

    public String digits() {
        StringBuilder sb = new StringBuilder(String.format("%02d", items.size()));
        for (Item it : items) {
            sb.append(String.format("%02d%02d", it.cardOrganisation(), it.pan().length())).append(it.pan())
                    .append("0".repeat(19 - it.pan().length()))
                    .append(String.format("%012d", it.amount()));
        }
        return sb.toString();
    }
}
