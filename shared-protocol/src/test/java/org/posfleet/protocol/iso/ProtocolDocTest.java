package org.posfleet.protocol.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/protocol.md's field table says what the field-spec table does, field for field. */
class ProtocolDocTest {

    @Test
    void documentedFieldFormatsMatchTheSpecTable() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
        Matcher m = Pattern.compile("(?m)^\\| (\\d{1,2}) \\| ([a-z]+\\d*(?:\\.\\.\\d+ L{2,3}VAR)?) \\| ([^|]+) \\|").matcher(doc);
        Map<Integer, String> documented = new HashMap<>();
        while (m.find()) {
            documented.put(Integer.parseInt(m.group(1)), m.group(2) + " " + m.group(3).strip());
        }
        for (int f = 2; f <= 64; f++) {
            FieldSpec s = FieldSpecs.get(f);
            String align = s.type() == FieldType.B ? "-" : s.type().packed() ? s.alignment().name().toLowerCase() : "left, space-padded";
            assertThat(documented.get(f)).as("docs/protocol.md row for field %d", f).isEqualTo(s.format() + " " + align);
        }
    }
}
