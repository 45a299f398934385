package dev.vwb.notebooks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Python with its Jupyter packages (python3-nbclient, jupyter-client, python3-ipykernel),
 * running a script of src/test/resources against the kernelspec of this test JVM's class path.
 * A test without them is skipped.
 */
final class JupyterClient {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private JupyterClient() {
    }

    /** Skips the test unless /usr/bin/python3 imports every module named. */
    static void assumeModules(String... modules) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import " + String.join(", ", modules))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor() == 0, "Python lacks " + String.join(", ", modules)
                + ": apt-get install -y python3-nbclient jupyter-client python3-ipykernel");
    }

    /** The kernelspec for this JVM's class path, under {@code dir} (a JUPYTER_PATH entry). */
    static Path installKernel(Path dir) throws IOException {
        Kernelspec.install(dir);
        return dir;
    }

    /** Runs the resource script with {@code args}, JUPYTER_PATH set to {@code jupyterPath} (and variables given as name, value pairs); its stdout. */
    static String run(String script, Path jupyterPath, Path workDir, List<String> args, long timeoutSeconds, String... environment)
            throws IOException, InterruptedException {
        Path source = Path.of("src", "test", "resources", script).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), source.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
        pb.environment().put("JUPYTER_DATA_DIR", workDir.resolve("data").toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", workDir.resolve("runtime").toString());
        for (int i = 0; i + 1 < environment.length; i += 2) {
            pb.environment().put(environment[i], environment[i + 1]);
        }
        Path err = workDir.resolve(script + ".stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish in " + timeoutSeconds + " s");
        }
        String stdout = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(script + " failed (" + p.exitValue() + "):\n" + stdout + "\n" + Files.readString(err));
        }
        return stdout;
    }
}
