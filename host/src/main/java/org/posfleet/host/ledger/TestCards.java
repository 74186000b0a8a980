package org.posfleet.host.ledger;

import io.vertx.core.Future;
import java.util.List;
import org.posfleet.host.HostApp;
import org.posfleet.host.security.SecurityModule;

/**
 * The stand-in issuer's default cards, created on first start so the host authorizes out of the box. Listed in
 * the README; every PIN is 123456.
 */
public final class TestCards {

    /** PAN, expiry YYMM, balance in cents, status. */
    public static final List<String[]> DEFAULTS = List.of(
            new String[] {"6225880000000001", "3012", "100000000", "active"},
            new String[] {"6225880000000019", "3012", "10000", "active"},
            new String[] {"6225880000000027", "3012", "100000", "lost"},
            new String[] {"6225880000000035", "3012", "100000", "stolen"},
            new String[] {"6225880000000043", "2001", "100000", "active"},
            new String[] {"6217000000000001", "3012", "500000000", "active"});
    public static final String DEFAULT_PIN = "123456";

    private TestCards() {
    }

    public static void ensureDefaults(Journal journal, SecurityModule sm) throws Exception {
        Future<Void> all = Future.succeededFuture();
        for (String[] c : DEFAULTS) {
            TestCard card = new TestCard(c[0], c[1], sm.pinVerificationValue(c[0], DEFAULT_PIN.toCharArray()), 0, Long.parseLong(c[2]), c[3]);
            all = all.compose(v -> journal.ensureCard(card));
        }
        HostApp.await(all);
    }
}
