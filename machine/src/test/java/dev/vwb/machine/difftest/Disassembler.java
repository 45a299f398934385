package dev.vwb.machine.difftest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Disassembly for mismatch reports, by {@code ndisasm} when installed (a hex dump otherwise). */
final class Disassembler {

    private static final String NDISASM = "ndisasm";
    private static volatile Boolean available;

    private Disassembler() {
    }

    static boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder(NDISASM, "-v").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        return available;
    }

    /** ndisasm's listing of the code (origin = EIP of the first byte), or null when unavailable. */
    static String ndisasm(byte[] code, int bits, int origin) {
        if (!available()) {
            return null;
        }
        Path file = null;
        try {
            file = Files.createTempFile("vwb-difftest", ".bin");
            Files.write(file, code);
            Process p = new ProcessBuilder(NDISASM, "-b" + bits, "-o", "0x" + Integer.toHexString(origin),
                    file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    /** ndisasm's listing, or a hex dump. */
    static String listing(DiffCase c) {
        int bits = c.mode() == DiffCase.Mode.REAL16 ? 16 : 32;
        String text = ndisasm(c.code(), bits, c.startEip());
        if (text == null) {
            return "(ndisasm not available) " + Json.HEX.formatHex(c.code()) + "\n";
        }
        if (c.opcodes().stream().anyMatch(k -> k.startsWith("82/") || k.matches("(C0|C1|D0|D1|D2|D3)/6"))) {
            text += "(ndisasm cannot decode 82 /r, an alias of 80, nor SAL = C0-D3 /6: it prints db and loses sync)\n";
        }
        return text;
    }
}
