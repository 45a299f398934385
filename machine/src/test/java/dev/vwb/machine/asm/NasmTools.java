package dev.vwb.machine.asm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the oracles, nasm and ndisasm (Debian package nasm; ./vwb test installs it). */
final class NasmTools {
    private NasmTools() {
    }

    /** One line of ndisasm's listing. */
    record NdisasmLine(int offset, int length, String text) {
    }

    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/nasm")) && Files.isExecutable(Path.of("/usr/bin/ndisasm")),
                "nasm is not installed (./vwb test installs it)");
    }

    /** nasm -f bin of the source; throws with nasm's messages when it fails. */
    static byte[] nasm(String source) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("vwb-asm");
        try {
            Path in = dir.resolve("in.asm");
            Path out = dir.resolve("out.bin");
            Files.writeString(in, source);
            Process p = new ProcessBuilder("nasm", "-f", "bin", "-o", out.toString(), in.toString())
                    .redirectErrorStream(true).start();
            String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("nasm failed: " + messages);
            }
            return Files.readAllBytes(out);
        } finally {
            deleteTree(dir);
        }
    }

    /** nasm -f bin of a file on disk with more options ({@code -i DIR/}...); throws with nasm's messages when it fails. */
    static byte[] nasm(Path source, List<String> options) throws IOException, InterruptedException {
        Path out = Files.createTempFile("vwb-asm", ".bin");
        try {
            List<String> command = new ArrayList<>(List.of("nasm", "-f", "bin", "-o", out.toString()));
            command.addAll(options);
            command.add(source.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || !messages.isEmpty()) {
                throw new IOException("nasm failed or warned: " + messages);
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static List<NdisasmLine> ndisasm(byte[] code, int bits) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("vwb-disasm");
        try {
            Path in = dir.resolve("in.bin");
            Files.write(in, code);
            Process p = new ProcessBuilder("ndisasm", "-b", String.valueOf(bits), in.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("ndisasm failed: " + out);
            }
            return parse(out);
        } finally {
            deleteTree(dir);
        }
    }

    /** Parses "OFFSET  HEX  TEXT" lines; long instructions continue on lines "   -HEX". */
    private static List<NdisasmLine> parse(String listing) {
        List<NdisasmLine> lines = new ArrayList<>();
        int offset = -1;
        StringBuilder hex = new StringBuilder();
        String text = null;
        for (String l : listing.split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            if (l.startsWith(" ")) {
                hex.append(l.trim().substring(1));
                continue;
            }
            if (text != null) {
                lines.add(new NdisasmLine(offset, hex.length() / 2, text));
            }
            offset = Integer.parseInt(l.substring(0, 8), 16);
            String rest = l.substring(10);
            int sp = rest.indexOf(' ');
            hex.setLength(0);
            hex.append(rest, 0, sp);
            text = rest.substring(sp).trim();
        }
        if (text != null) {
            lines.add(new NdisasmLine(offset, hex.length() / 2, text));
        }
        return lines;
    }

    /** Spaces collapsed, lower case, hex numbers without leading zeros. */
    static String normalise(String s) {
        String t = s.trim().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
        return t.replaceAll("0x0+([0-9a-f])", "0x$1");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
