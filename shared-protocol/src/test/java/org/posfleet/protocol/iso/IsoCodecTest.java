package org.posfleet.protocol.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.posfleet.protocol.iso.Bcd.fromHex;
import static org.posfleet.protocol.iso.Bcd.hex;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IsoCodecTest {

    /** Assembled by hand from the reference's field rules, one field per line. */
    private static final String SALE_BY_HAND = ""
            + "0200"                                   // MTI
            + "7020048000C08001"                       // bitmap: 2 3 4 11 22 25 41 42 49 64
            + "19" + "6225880000000000018" + "0"       // 2: LL = 19 digits, left aligned, trailing 0
            + "000000"                                 // 3
            + "000000010000"                           // 4: 100.00
            + "000123"                                 // 11
            + "0510"                                   // 22: 051 left aligned
            + "00"                                     // 25
            + "3130303030303031"                       // 41 "10000001"
            + "383938313030303030303030303031"         // 42 "898100000000001"
            + "313536"                                 // 49 "156"
            + "4142434431323334";                      // 64

    @Test
    void decodesHandAssembledSaleFieldByField() {
        byte[] b = fromHex(SALE_BY_HAND);
        IsoMessage m = IsoCodec.decode(b, 0, b.length);
        assertThat(m.mti()).isEqualTo(200);
        assertThat(m.string(2)).isEqualTo("6225880000000000018");
        assertThat(m.number(4)).isEqualTo(10000);
        assertThat(m.number(11)).isEqualTo(123);
        assertThat(m.string(22)).isEqualTo("051");
        assertThat(m.string(41)).isEqualTo("10000001");
        assertThat(m.string(49)).isEqualTo("156");
        assertThat(hex(m.bytes(64))).isEqualTo("4142434431323334");
    }

    @Test
    void encodesTheSameSaleToTheHandAssembledBytes() {
        IsoMessage m = IsoMessage.builder(200).set(2, "6225880000000000018").set(3, "000000").set(4, 10000L).set(11, 123L)
                .set(22, "051").set(25, "00").set(41, "10000001").set(42, "898100000000001").set(49, "156")
                .set(64, fromHex("4142434431323334")).build();
        assertThat(hex(IsoCodec.encode(m))).isEqualTo(SALE_BY_HAND);
    }

    @ParameterizedTest(name = "field {0} = {1} travels as {2}")
    @CsvSource({
            "22, 071, 0710",            // fixed n3, left aligned (the exception)
            "23, 001, 0001",            // fixed n3, right aligned: leading zero nibble
            "27, 5, 05",                // fixed n1, right aligned
            "32, 12345, 051234 50",     // LL counts digits, left aligned, trailing zero
            "60, 22000001000, 0011 220000010000",   // LLL counts digits
            "35, 6225D2512, 09 6225D25120",          // z with separator
            "44, ABC, 03 414243",       // LL an counts bytes
            "63, '01 ', 0003 303120"})  // LLL ans counts bytes
    void fieldsTravelAsTheReferenceSays(int field, String value, String wire) {
        IsoMessage m = IsoMessage.builder(800).set(field, value).build();
        byte[] bytes = IsoCodec.encode(m);
        assertThat(hex(bytes).substring(20)).isEqualTo(wire.replace(" ", ""));
        assertThat(IsoCodec.decode(bytes, 0, bytes.length).string(field)).isEqualTo(value);
    }

    @Test
    void binaryLlvarPrefixCountsBytes() {
        IsoMessage m = IsoMessage.builder(800).set(62, fromHex("00112233445566778899AABB")).build();
        assertThat(hex(IsoCodec.encode(m)).substring(20)).isEqualTo("0012" + "00112233445566778899AABB");
    }

    @Test
    void fieldSixtyLongerThanNominalIsAccepted() {
        String digits = "22000001000" + "50000000000000000000"; // 31 digits: newer terminals add sub-fields
        IsoMessage m = IsoMessage.builder(200).set(60, digits).build();
        byte[] b = IsoCodec.encode(m);
        assertThat(IsoCodec.decode(b, 0, b.length).string(60)).isEqualTo(digits);
    }

    @Test
    void equalityIgnoresWhereBytesLive() {
        IsoMessage a = IsoMessage.builder(200).set(11, 5L).set(41, "T1").build();
        byte[] wire = IsoCodec.encode(a);
        byte[] shifted = new byte[wire.length + 7];
        System.arraycopy(wire, 0, shifted, 7, wire.length);
        IsoMessage b = IsoCodec.decode(shifted, 7, wire.length);
        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(b.string(41)).isEqualTo("T1      ");
    }

    @Test
    void toStringMasksCardData() {
        IsoMessage m = IsoMessage.builder(200).set(2, "6225880000000001").set(35, "6225880000000001D2512").build();
        assertThat(m.toString()).doesNotContain("6225880000000001").contains("2=*16");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "MTI and bitmap short, 02007020, TRUNCATED, 0, 0",
            "MTI not BCD, 0A00000000000000000000, BAD_DIGIT, 0, 0",
            "secondary bitmap, 02008000000000000000, BAD_BITMAP, 1, 2",
            "LL prefix not BCD, 020040000000000000001A, BAD_LENGTH_PREFIX, 2, 10",
            "LL over field, 02004000000000000000196225, TRUNCATED, 2, 11",
            "non-digit in n, 0200200000000000000000000A, BAD_DIGIT, 3, 12",
            "LLL first nibble, 020000000000000000101000, BAD_LENGTH_PREFIX, 60, 10",
            "trailing bytes, 0200000000000000000000, TRAILING_BYTES, 0, 10",
            "fixed field cut short, 02000000000000000001414243, TRUNCATED, 64, 10"})
    void malformedInputGivesTypedErrorNamingFieldAndOffset(String what, String hexBytes, ProtocolException.Reason reason,
                                                            int field, int offset) {
        byte[] b = fromHex(hexBytes);
        assertThatThrownBy(() -> IsoCodec.decode(b, 0, b.length))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.offset()).isEqualTo(offset);
                });
    }

    @Test
    void builderRejectsValuesTheSpecForbids() {
        assertThatThrownBy(() -> IsoMessage.builder(200).set(3, "12345X")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IsoMessage.builder(200).set(2, "1".repeat(100))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IsoMessage.builder(200).set(52, "ABC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IsoMessage.builder(200).set(11, 1_000_000L)).isInstanceOf(IllegalArgumentException.class);
    }
}
