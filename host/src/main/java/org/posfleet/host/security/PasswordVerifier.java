package org.posfleet.host.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks passwords against their stored PBKDF2 hashes ({@link PasswordHasher}) and remembers, in this process's
 * memory only, which password a stored hash was last verified with: as an HMAC under a key drawn at start, never
 * the password. The next check of that stored hash is one HMAC instead of PBKDF2 (a supervisor's void password
 * is checked on every void: PBKDF2 each time was a third of the host's CPU at 2,500 transactions a second).
 *
 * <p>What PBKDF2 protects is unchanged: the hashes at rest. The entries are keyed by the stored hash itself, whose
 * salt is new with every password set, so a changed password misses. A wrong password against a remembered hash is
 * answered wrong at once; the host's failure counting and lock-out bound those attempts as before. The memory
 * holds at most {@code capacity} entries, least recently used first out.
 *
 * <p>Thread-safe: {@link #known} runs on event loops, {@link #verify} on workers.
 */
public final class PasswordVerifier {

    private final Map<String, byte[]> verified;
    private final SecretKeySpec key;
    /** One keyed MAC per thread: {@code Mac.getInstance} and its key set-up per check showed in the host's profile. */
    private final ThreadLocal<Mac> macs;

    public PasswordVerifier(int capacity) {
        this.verified = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > capacity;
            }
        };
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        Arrays.fill(k, (byte) 0);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    /**
     * Whether {@code password} matches {@code stored}, when this process verified that stored hash before (one
     * HMAC: fine on an event loop); null when only PBKDF2 can tell ({@link #verify}).
     */
    public Boolean known(char[] password, String stored) {
        byte[] remembered;
        synchronized (verified) {
            remembered = stored == null ? null : verified.get(stored);
        }
        return remembered == null ? null : MessageDigest.isEqual(remembered, tag(password, stored));
    }

    /** {@link #known} when it can tell, else {@link #verify}: may be slow, so a worker's. */
    public boolean matches(char[] password, String stored) {
        Boolean known = known(password, stored);
        return known != null ? known : verify(password, stored);
    }

    /** PBKDF2 (slow by design: a worker, never an event loop); a match is remembered for {@link #known}. */
    public boolean verify(char[] password, String stored) {
        if (!PasswordHasher.verify(password, stored)) {
            return false;
        }
        byte[] tag = tag(password, stored);
        synchronized (verified) {
            verified.put(stored, tag);
        }
        return true;
    }

    /** HMAC of the password, bound to the stored hash it was verified against. */
    private byte[] tag(char[] password, String stored) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] clear = new byte[bytes.remaining()];
        bytes.get(clear);
        Arrays.fill(bytes.array(), (byte) 0);
        try {
            Mac mac = macs.get(); // doFinal leaves it reset for the next check
            mac.update(stored.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return mac.doFinal(clear);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }
}
