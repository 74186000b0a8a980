package org.posfleet.protocol.field;

/**
 * Field 53, 16 digits: 53.1 PIN block format, 53.2 algorithm, 53.3 track encryption, then 13 reserved zeros.
 * 53.2 = 4 (SM4) is this project's choice (docs/protocol.md); the published values are 0 and 6.
 */
public record SecurityControl(int pinFormat, int algorithm, int trackEncryption) {

    public static final int PIN_FORMAT_ISO0_WITH_PAN = 2;
    public static final int PIN_FORMAT_WITHOUT_PAN = 1;
    public static final int ALGORITHM_SINGLE_DES = 0;
    public static final int ALGORITHM_DOUBLE_DES = 6;
    public static final int ALGORITHM_SM4 = 4;

    public SecurityControl {
        if (pinFormat < 0 || pinFormat > 9 || algorithm < 0 || algorithm > 9 || trackEncryption < 0 || trackEncryption > 9) {
            throw new IllegalArgumentException("security control digits out of range");
        }
    }

    public static SecurityControl parse(String digits) {
        SubFieldLayout l = SubFieldLayouts.SECURITY_CONTROL_53;
        return new SecurityControl(Integer.parseInt(l.part(digits, 0)), Integer.parseInt(l.part(digits, 1)),
                Integer.parseInt(l.part(digits, 2)));
    }

    public boolean tracksEncrypted() {
        return trackEncryption == 1;
    }

    public String digits() {
        return "" + pinFormat + algorithm + trackEncryption + "0000000000000";
    }
}
