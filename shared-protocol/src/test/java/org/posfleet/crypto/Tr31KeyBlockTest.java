package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.posfleet.protocol.iso.Bcd.fromHex;
import static org.posfleet.protocol.iso.Bcd.hex;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Tr31KeyBlockTest {

    @ParameterizedTest(name = "unwraps published version {0} block")
    @CsvSource({
            "A, 89E88CF7931444F334BD7547FC3F380C, F039121BEC83D26B169BDCD5B22AAF8F, "
                    + "A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701",
            "B, DD7515F2BFC17F85CE48F3CA25CB21F6, 3F419E1CB7079442AA37474C2EFBF8B8, "
                    + "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"})
    void unwrapsPublishedVectors(char version, String kbpk, String key, String block) {
        Tr31KeyBlock.Unwrapped u = Tr31KeyBlock.unwrap(fromHex(kbpk), block);
        assertThat(hex(u.key())).isEqualTo(key);
        assertThat(u.header()).isEqualTo(new Tr31KeyBlock.Header(version, "P0", 'T', 'E', "00", 'E'));
    }

    @ParameterizedTest(name = "version {0} wraps and unwraps")
    @CsvSource({
            "A, 89E88CF7931444F334BD7547FC3F380C",
            "B, DD7515F2BFC17F85CE48F3CA25CB21F6",
            "D, 000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"})
    void wrapThenUnwrapGivesTheKeyBack(char version, String kbpk) {
        byte[] key = fromHex("F039121BEC83D26B169BDCD5B22AAF8F");
        Tr31KeyBlock.Header header = new Tr31KeyBlock.Header(version, "K0", 'T', 'B', "00", 'N');
        String block = Tr31KeyBlock.wrap(fromHex(kbpk), header, key);
        assertThat(block).startsWith(version + String.format("%04d", block.length()) + "K0TB00N0000");
        assertThat(block).doesNotContain(hex(key));
        Tr31KeyBlock.Unwrapped u = Tr31KeyBlock.unwrap(fromHex(kbpk), block);
        assertThat(u.key()).isEqualTo(key);
        assertThat(u.header()).isEqualTo(header);
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 20, 40, 70})
    void alteredBlockIsRejected(int position) {
        String block = "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E";
        char c = block.charAt(position);
        String altered = block.substring(0, position) + (c == '0' ? '1' : '0') + block.substring(position + 1);
        assertThatThrownBy(() -> Tr31KeyBlock.unwrap(fromHex("DD7515F2BFC17F85CE48F3CA25CB21F6"), altered))
                .isInstanceOf(CryptoException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "B", "B0080", "X0016P0TE00E0000", "B0016P0TE00E0000", "B00zzP0TE00E0000AAAA"})
    void malformedBlockIsRejected(String block) {
        assertThatThrownBy(() -> Tr31KeyBlock.unwrap(fromHex("DD7515F2BFC17F85CE48F3CA25CB21F6"), block))
                .isInstanceOf(CryptoException.class);
    }
}
