package org.posfleet.protocol.field;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.posfleet.protocol.message.OperatorNumber;

class SubFieldsTest {

    @Test
    void field60ReadsTypeBatchAndCodeAndKeepsNewerSubFields() {
        Reserved60 r = Reserved60.parse("22000123000" + "5" + "0" + "0" + "000" + "99");
        assertThat(r.messageTypeCode()).isEqualTo(22);
        assertThat(r.batch()).isEqualTo(123);
        assertThat(r.networkCode()).isZero();
        assertThat(r.rest()).isEqualTo("500000" + "99");
        assertThat(r.digits()).isEqualTo("22000123000500000" + "99");
        assertThat(Reserved60.parse("22").batch()).isEqualTo(-1);
        assertThat(Reserved60.parse("2200012").batch()).as("an incomplete part is absent").isEqualTo(-1);
    }

    @Test
    void field61ReadsOriginalBatchStanAndDate() {
        OriginalTransaction o = OriginalTransaction.parse("0000010000071124");
        assertThat(o).isEqualTo(new OriginalTransaction(1, 7, 1124, ""));
        assertThat(o.digits()).isEqualTo("0000010000071124");
        assertThat(OriginalTransaction.parse("00000100")).isNull();
    }

    @Test
    void settlementTotalsRoundTripAndCompareIgnoringResult() {
        SettlementTotals t = new SettlementTotals(new SettlementTotals.Totals(12345, 1, 500, 1, 0), SettlementTotals.Totals.ZERO);
        assertThat(t.digits()).hasSize(62).startsWith("000000012345" + "001" + "000000000500" + "001" + "0");
        assertThat(SettlementTotals.parse(t.digits())).isEqualTo(t);
        assertThat(SettlementTotals.parse(t.digits().substring(0, 31)).foreign()).isEqualTo(SettlementTotals.Totals.ZERO);
        assertThat(t.domestic().sameTotals(t.domestic().withResult(1))).isTrue();
        assertThat(SettlementTotals.parse("123")).isNull();
    }

    @Test
    void batchUploadItemsKeepPansThatEndInZero() {
        BatchUploadItems items = new BatchUploadItems(List.of(new BatchUploadItems.Item(0, "6225880000000010", 100),
                new BatchUploadItems.Item(1, "4761340000000019000", 5)));
        assertThat(BatchUploadItems.parse(items.digits())).isEqualTo(items);
        assertThat(BatchUploadItems.parse(items.digits() + "0")).isNull();
    }

    @Test
    void operatorNumberAcceptsTheThreeFormsSeenInTheField() {
        assertThat(OperatorNumber.parse("01 ")).isEqualTo(1);
        assertThat(OperatorNumber.parse("01")).isEqualTo(1);
        assertThat(OperatorNumber.parse("001")).isEqualTo(1);
        assertThat(OperatorNumber.parse("x1 ")).isEqualTo(-1);
        assertThat(OperatorNumber.format(1)).isEqualTo("01 ");
        assertThat(OperatorNumber.withCredential(1, new byte[] {0x12, (byte) 0xAB})).isEqualTo("01 12AB");
        assertThat(OperatorNumber.credential("01 12AB")).containsExactly(0x12, 0xAB);
        assertThat(OperatorNumber.credential("01 12A")).isNull();
    }

    @Test
    void entryModeAndSecurityControlReadTheirDigits() {
        assertThat(EntryMode.parse("071")).isEqualTo(new EntryMode(EntryMode.CONTACTLESS, 1));
        assertThat(EntryMode.parse("071").pinEntered()).isTrue();
        assertThat(SecurityControl.parse("2610000000000000")).isEqualTo(new SecurityControl(2, 6, 1));
        assertThat(new SecurityControl(2, 6, 0).digits()).isEqualTo("2600000000000000");
    }
}
