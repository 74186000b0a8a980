package org.posfleet.protocol.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.protocol.field.SubFieldLayout;
import org.posfleet.protocol.field.SubFieldLayouts;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.iso.FieldSpec;
import org.posfleet.protocol.iso.FieldSpecs;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.ProtocolException;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;

/**
 * Prints a terminal frame field by field, for people debugging terminals:
 * <pre>
 *   java -jar posfleet-decode.jar [--mak HEX [--suite tdes|sm4]] [HEX ...]     (hex from stdin when none)
 * </pre>
 * The frame may start with its 2-byte length or with the TPDU. With a MAK, field 64 is verified.
 * Exit status: 0 decoded (and MAC good when checked), 1 MAC mismatch, 2 malformed frame, 64 usage.
 */
public final class DecodeCommand {

    private DecodeCommand() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.in.readAllBytes(), System.out));
    }

    /** Runs the command; {@code stdin} is read only when no hex is given as arguments. */
    public static int run(String[] args, byte[] stdin, PrintStream out) {
        byte[] mak = null;
        CipherSuite suite = CipherSuite.TDES;
        StringBuilder hex = new StringBuilder();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--mak" -> mak = Bcd.fromHex(args[++i]);
                    case "--suite" -> suite = CipherSuite.valueOf(args[++i].toUpperCase(Locale.ROOT));
                    case "-h", "--help" -> {
                        out.println(usage());
                        return 0;
                    }
                    default -> hex.append(args[i]);
                }
            }
            if (hex.length() == 0) {
                hex.append(new String(stdin, StandardCharsets.US_ASCII));
            }
        } catch (RuntimeException e) {
            out.println("usage error: " + e.getMessage());
            out.println(usage());
            return 64;
        }
        byte[] bytes;
        try {
            bytes = Bcd.fromHex(hex);
        } catch (IllegalArgumentException e) {
            out.println("input is not hex: " + e.getMessage());
            return 64;
        }
        try {
            return print(bytes, mak, suite, out);
        } catch (ProtocolException e) {
            out.println("malformed frame: " + e.getMessage());
            return 2;
        }
    }

    static String usage() {
        return "usage: decode [--mak HEX [--suite tdes|sm4]] [HEX ...]   (reads hex from stdin when no HEX is given)";
    }

    private static int print(byte[] bytes, byte[] mak, CipherSuite suite, PrintStream out) {
        int off = 0;
        if (bytes.length >= 2 && (((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF)) == bytes.length - 2) {
            out.printf("length   %d bytes follow%n", bytes.length - 2);
            off = 2;
        }
        Frame frame = FrameCodec.decode(bytes, off, bytes.length - off);
        IsoMessage m = frame.message();
        out.printf("TPDU     %s  (id %02X, destination %04X, source %04X)%n", frame.tpdu(), frame.tpdu().id(),
                frame.tpdu().destination(), frame.tpdu().source());
        out.printf("header   %s  (application %d, version %d, status %d, processing requirement %d, sub-version %s)%n",
                frame.header(), frame.header().applicationType(), frame.header().softwareVersion(),
                frame.header().terminalStatus(), frame.header().processingRequirement(), frame.header().subVersion());
        MessageKind kind = m.mti() % 20 >= 10 ? MessageKind.classify(m.mti() - 10, m) : MessageKind.classify(m);
        out.printf("MTI      %s  %s%n", m.mtiString(), kind == null ? "(not a known message)" : kind + (m.mti() % 20 >= 10 ? " reply" : ""));
        List<Integer> present = new ArrayList<>();
        for (int f = 2; f <= 64; f++) {
            if (m.has(f)) {
                present.add(f);
            }
        }
        out.printf("bitmap   %016X  fields %s%n", m.bitmap(), present);
        int status = 0;
        for (int f : present) {
            FieldSpec spec = FieldSpecs.get(f);
            String value = m.string(f);
            String note = "";
            if (f == 39) {
                ResponseCode rc = ResponseCode.of(value);
                note = rc == null ? "  (unknown code)" : "  (" + rc.meaning() + ")";
            } else if (f == 64 || (spec.type() == org.posfleet.protocol.iso.FieldType.B && printable(m.bytes(f)))) {
                note = "  \"" + new String(m.bytes(f), StandardCharsets.ISO_8859_1) + "\"";
            }
            out.printf("  %2d  %-44s %-13s [%d] %s%s%n", f, spec.name(), spec.format(), m.length(f), value, note);
            SubFieldLayout layout = SubFieldLayouts.forField(f);
            if (layout != null && (f != 48 || kind == MessageKind.SETTLEMENT)) {
                for (String[] part : layout.split(value)) {
                    out.printf("        %-6s %-60s %s%n", part[0], part[1], part[2]);
                }
            }
        }
        if (mak != null && m.has(64)) {
            boolean ok = m.macMatches(new PosEcbMac(suite, mak));
            out.println("MAC      " + (ok ? "verified with the given MAK" : "MISMATCH with the given MAK"));
            status = ok ? 0 : 1;
        }
        return status;
    }

    private static boolean printable(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x > 0x7E) {
                return false;
            }
        }
        return b.length > 0;
    }
}
