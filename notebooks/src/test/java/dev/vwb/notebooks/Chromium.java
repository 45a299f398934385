package dev.vwb.notebooks;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian package chromium), driven from the command line: the DOM of a page
 * after its scripts ran, and a screenshot of it at a given size. A test without it is skipped.
 */
final class Chromium {
    private static final List<String> NAMES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

    private final Path binary;
    private final Path profile;

    private Chromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** The installed Chromium, with a throw-away profile under {@code dir}; skips the test if there is none. */
    static Chromium find(Path dir) {
        for (String name : NAMES) {
            if (Files.isExecutable(Path.of(name))) {
                return new Chromium(Path.of(name), dir.resolve("chromium-profile"));
            }
        }
        // Chromium is an oracle from Debian, like nasm and QEMU: ./vwb test installs it (TEST_PACKAGES), so CI
        // never skips here; a developer's machine without it skips the rendering check rather than fail.
        Assumptions.abort("no Chromium: apt-get install -y chromium (./vwb test installs it as root)");
        return null;
    }

    /** The page's DOM once loaded (and its load handlers ran). */
    String dumpDom(Path page, int width, int height) throws IOException, InterruptedException {
        return new String(run(page, width, height, "--dump-dom"), StandardCharsets.UTF_8);
    }

    /** A PNG of the page's first {@code height} pixels at {@code width}, written to {@code png}. */
    void screenshot(Path page, int width, int height, Path png) throws IOException, InterruptedException {
        run(page, width, height, "--screenshot=" + png.toAbsolutePath());
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("Chromium wrote no screenshot of " + page);
        }
    }

    private byte[] run(Path page, int width, int height, String what) throws IOException, InterruptedException {
        // --no-sandbox: the tests run as root in CI, where Chromium refuses its sandbox.
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, what, page.toUri().toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not finish with " + page + " in 120 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("Chromium failed (" + p.exitValue() + ") on " + page);
        }
        return out;
    }
}
