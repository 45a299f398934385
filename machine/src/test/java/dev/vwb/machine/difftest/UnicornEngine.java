package dev.vwb.machine.difftest;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The reference engine: Unicorn 2 (QEMU's x86 CPU) driven through {@code unicorn_runner.py}, one
 * long-lived Python process per engine. See the NOTES in that script for the Unicorn behaviour the
 * protocol relies on.
 */
final class UnicornEngine implements Engine {

    /** The Debian interpreter that has python3-unicorn; a python3 earlier on PATH may not. */
    static final String PYTHON = "/usr/bin/python3";
    static final String SCRIPT = "src/test/python/unicorn_runner.py";

    private final List<String> command;
    private Process process;
    private BufferedWriter toRunner;
    private BufferedReader fromRunner;

    /** @param strict also fail cases that write to mapped memory outside their blocks (generator check) */
    UnicornEngine(boolean strict) {
        command = new ArrayList<>(List.of(PYTHON, "-u", runnerScript().toString()));
        if (strict) {
            command.add("--strict");
        }
        start();
    }

    UnicornEngine() {
        this(false);
    }

    /** The runner process died (Unicorn aborts the whole process on some inputs, e.g. LOCK CMP). */
    static final class RunnerDied extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunnerDied(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void start() {
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        toRunner = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
        fromRunner = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        String hello = readLine();
        if (!Boolean.TRUE.equals(Json.object(Json.parse(hello)).get("ready"))) {
            throw new IllegalStateException("unexpected greeting from unicorn_runner.py: " + hello);
        }
    }

    /** Empty when {@value #PYTHON} can import unicorn; otherwise why not. */
    static Optional<String> unavailableReason() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import unicorn").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of(PYTHON + " -c 'import unicorn' timed out");
            }
            return p.exitValue() == 0 ? Optional.empty()
                    : Optional.of(PYTHON + " cannot import unicorn (apt-get install python3-unicorn): " + output);
        } catch (IOException e) {
            return Optional.of("cannot run " + PYTHON + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /**
     * The runner script: -Dvwb.unicorn.runner, else found from the test classes' location
     * (machine/target/test-classes -> machine/src/test/python), else relative to the working directory
     * (surefire runs in machine/).
     */
    static Path runnerScript() {
        String override = System.getProperty("vwb.unicorn.runner");
        if (override != null) {
            return Path.of(override);
        }
        List<Path> candidates = new ArrayList<>();
        try {
            Path classes = Path.of(UnicornEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            candidates.add(classes.getParent().getParent().resolve(SCRIPT));
        } catch (URISyntaxException | RuntimeException ignored) {
            // fall back to the working directory below
        }
        candidates.add(Path.of(SCRIPT));
        candidates.add(Path.of("machine").resolve(SCRIPT));
        return candidates.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException("unicorn_runner.py not found; tried " + candidates));
    }

    @Override
    public String name() {
        return "unicorn";
    }

    /**
     * Runs the batch; if the runner dies, restarts it and runs the cases one by one so that only the
     * case that kills Unicorn is reported (as an engine error).
     */
    @Override
    public List<DiffResult> run(List<DiffCase> batch) {
        try {
            return runBatch(batch);
        } catch (RunnerDied died) {
            restart();
            List<DiffResult> results = new ArrayList<>(batch.size());
            for (DiffCase c : batch) {
                try {
                    results.addAll(runBatch(List.of(c)));
                } catch (RunnerDied again) {
                    results.add(DiffResult.failed(c.id(), "unicorn_runner.py died on this case: " + again.getMessage()));
                    restart();
                }
            }
            return results;
        }
    }

    private void restart() {
        process.destroyForcibly();
        start();
    }

    private List<DiffResult> runBatch(List<DiffCase> batch) {
        try {
            StringBuilder line = new StringBuilder(4096);
            for (DiffCase c : batch) {
                line.setLength(0);
                appendCase(line, c);
                toRunner.append(line).append('\n');
            }
            toRunner.write(".\n");
            toRunner.flush();
        } catch (IOException e) {
            throw new RunnerDied("writing to unicorn_runner.py failed" + exitNote(), e);
        }
        List<DiffResult> results = new ArrayList<>(batch.size());
        for (DiffCase c : batch) {
            results.add(parseResult(c, readLine()));
        }
        String end = readLine();
        if (!".".equals(end)) {
            throw new IllegalStateException("unicorn_runner.py: expected end of batch, got " + end);
        }
        return results;
    }

    static void appendCase(StringBuilder sb, DiffCase c) {
        sb.append("{\"id\":").append(c.id())
          .append(",\"m\":").append(c.mode() == DiffCase.Mode.REAL16 ? 16 : 32)
          .append(",\"r\":");
        appendUnsigned(sb, c.gprs());
        sb.append(",\"f\":").append(Integer.toUnsignedString(c.eflags())).append(",\"s\":");
        appendUnsigned(sb, c.selectors());
        sb.append(",\"ip\":").append(Integer.toUnsignedString(c.startEip()))
          .append(",\"c\":\"").append(Json.HEX.formatHex(c.code())).append("\",\"b\":[");
        for (int i = 0; i < c.memory().size(); i++) {
            DiffCase.MemBlock block = c.memory().get(i);
            sb.append(i == 0 ? "[" : ",[").append(Integer.toUnsignedString(block.address()))
              .append(",\"").append(Json.HEX.formatHex(block.bytes())).append("\"]");
        }
        sb.append("],\"e\":").append(Integer.toUnsignedString(c.endEip()))
          .append(",\"n\":").append(c.maxInstructions())
          .append(",\"p\":").append(c.mode() == DiffCase.Mode.PM32 ? 1 : 0).append('}');
    }

    private static void appendUnsigned(StringBuilder sb, int[] values) {
        sb.append('[');
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(Integer.toUnsignedString(values[i]));
        }
        sb.append(']');
    }

    private static DiffResult parseResult(DiffCase c, String line) {
        Map<String, Object> r = Json.object(Json.parse(line));
        Object id = r.get("id");
        if (id == null || (Long) id != c.id()) {
            throw new IllegalStateException("unicorn_runner.py answered case " + id + " for case " + c.id());
        }
        String error = (String) r.get("err");
        if (!r.containsKey("r")) {
            return DiffResult.failed(c.id(), error);
        }
        List<Object> blocks = Json.array(r.get("b"));
        List<DiffCase.MemBlock> memory = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            memory.add(new DiffCase.MemBlock(c.memory().get(i).address(), Json.HEX.parseHex((String) blocks.get(i))));
        }
        Long vector = (Long) r.get("x");
        Long errorCode = (Long) r.get("ec");
        Long cr2 = (Long) r.get("cr2");
        return new DiffResult(c.id(), Json.ints(r.get("r")), (int) (long) (Long) r.get("ip"),
                (int) (long) (Long) r.get("f"), Json.ints(r.get("s")), memory,
                vector == null ? null : (int) (long) vector,
                errorCode == null || !DiffComparator.hasErrorCode(vector) ? null : (int) (long) errorCode,
                cr2 == null ? 0 : (int) (long) cr2, null, error);
    }

    private String readLine() {
        try {
            String line = fromRunner.readLine();
            if (line == null) {
                throw new RunnerDied("unicorn_runner.py ended unexpectedly" + exitNote(), null);
            }
            return line;
        } catch (IOException e) {
            throw new RunnerDied("reading from unicorn_runner.py failed" + exitNote(), e);
        }
    }

    private String exitNote() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                return " (exit code " + process.exitValue() + "; its stderr is above)";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    @Override
    public void close() {
        try {
            toRunner.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
