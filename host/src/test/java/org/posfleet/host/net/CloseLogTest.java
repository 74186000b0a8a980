package org.posfleet.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A flood of closed connections becomes a few log lines a second and a summary, not a line each. */
class CloseLogTest {

    @Test
    void aFloodOfClosesIsLoggedAFewLinesASecondAndThenSummarised() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage() == null ? r.getMessage() : new java.util.logging.SimpleFormatter().formatMessage(r));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(TerminalConnection.class.getName());
        logger.addHandler(capture);
        try {
            long[] now = {1_000_000};
            CloseLog log = new CloseLog(() -> now[0]);
            for (int second = 0; second < 12; second++) {
                for (int i = 0; i < 1_000; i++) {
                    log.closed("127.0.0.2:" + i, i % 2 == 0 ? "frame not completed within the read timeout" : "untrustworthy stream", "");
                }
                now[0] += 1_000;
            }
            log.closed("127.0.0.2:1", "untrustworthy stream", "");
            long full = lines.stream().filter(l -> l.startsWith("closing")).count();
            assertThat(full).as("a few lines a second in full").isLessThanOrEqualTo(13L * CloseLog.LINES_PER_SECOND);
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("closed ").contains("more connections")
                    .contains("frame not completed within the read timeout").contains("untrustworthy stream"));
        } finally {
            logger.removeHandler(capture);
        }
    }
}
