package org.posfleet.host.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.posfleet.protocol.iso.Bcd;

/**
 * Where the LMK's components come from, first that applies:
 * <ol>
 *   <li>files named with {@code --lmk-component-file} (one hex component per file);</li>
 *   <li>the environment variable {@code POSFLEET_LMK_COMPONENTS}: hex components separated by commas;</li>
 *   <li>development only: two random components generated once into {@code <data-dir>/dev-lmk/}, with a
 *       warning. Fine for a certification bench, never for keys that matter.</li>
 * </ol>
 * Only check values are ever printed.
 */
public final class LmkComponents {

    public static final String ENV = "POSFLEET_LMK_COMPONENTS";

    /** The components and where they came from, for the start-up log line. */
    public record Loaded(List<byte[]> components, String source) {
    }

    private LmkComponents() {
    }

    public static Loaded load(List<Path> files, String env, Path dataDir) throws IOException {
        if (files != null && !files.isEmpty()) {
            List<byte[]> out = new ArrayList<>();
            for (Path f : files) {
                out.add(parse(Files.readString(f)));
            }
            return new Loaded(out, files.size() + " component files");
        }
        if (env != null && !env.isBlank()) {
            List<byte[]> out = new ArrayList<>();
            for (String part : env.split(",")) {
                out.add(parse(part));
            }
            return new Loaded(out, "environment " + ENV);
        }
        Path dir = dataDir.resolve("dev-lmk");
        Files.createDirectories(dir);
        List<byte[]> out = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path f = dir.resolve("component-" + i);
            if (!Files.exists(f)) {
                Files.writeString(f, Bcd.hex(SoftwareSecurityModule.randomComponent()) + "\n");
                try {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: nothing more to restrict
                }
            }
            out.add(parse(Files.readString(f)));
        }
        return new Loaded(out, "DEVELOPMENT components in " + dir + " (generated: not for production keys)");
    }

    private static byte[] parse(String hex) {
        try {
            return Bcd.fromHex(hex.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an LMK component is not hex");
        }
    }
}
