package dev.vwb.notebooks.cli;

import dev.vwb.notebooks.Kernelspec;
import dev.vwb.notebooks.QuickConnection;
import dev.vwb.notebooks.VwbKernel;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The notebook commands of {@code ./vwb}: {@code kernel install [--user|--sys-prefix|--prefix DIR]}
 * writes the kernelspec, {@code kernel run CONNECTION_FILE} is the kernel Jupyter starts, and
 * {@code notebook [DIR]} installs the kernelspec and opens Jupyter on the lessons.
 */
public final class Main {
    /** Where Debian's Jupyter comes from, when it is missing. */
    static final String APT_LINE = "sudo apt-get install -y jupyter-notebook";

    private Main() {
    }

    public static void main(String[] args) {
        dev.vwb.machine.cli.Main.exitWith(Main::dispatch, args);
    }

    static int dispatch(String[] args, PrintStream out) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.size() >= 3 && a.get(0).equals("kernel") && a.get(1).equals("run")) {
            return run(Path.of(a.get(2)), a.size() > 3 ? a.get(3) : dev.vwb.repl.EmbeddedRepl.defaultGuest());
        }
        if (a.size() >= 2 && a.get(0).equals("kernel") && a.get(1).equals("install")) {
            Path dir = Kernelspec.install(dataDir(a.subList(2, a.size())));
            out.println("vwb: installed the kernelspec \"" + Kernelspec.DISPLAY_NAME + "\" in " + dir);
            return 0;
        }
        if (!a.isEmpty() && a.get(0).equals("notebook")) {
            return notebook(a.size() > 1 ? Path.of(a.get(1)) : Path.of("notebooks"), out);
        }
        out.println("usage: ./vwb kernel install [--user|--sys-prefix|--prefix DIR]   the Jupyter kernelspec \"" + Kernelspec.DISPLAY_NAME + "\"");
        out.println("       ./vwb notebook [DIR]                                        install it and open Jupyter on the lessons (notebooks/)");
        out.println("       ./vwb kernel run CONNECTION_FILE [GUEST]                    the kernel itself (Jupyter starts it)");
        return a.isEmpty() || a.contains("--help") || a.contains("-h") ? 0 : 2;
    }

    /** Runs the kernel on the connection file until Jupyter shuts it down. */
    private static int run(Path connectionFile, String guest) throws Exception {
        quietLibraryLog();
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile, StandardCharsets.UTF_8));
        VwbKernel kernel = VwbKernel.open(guest, false);
        JupyterConnection connection = new QuickConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        return 0;
    }

    /** The library logs every message at INFO on stderr (Jupyter's console): only warnings and worse go there. */
    private static void quietLibraryLog() {
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
    }

    /** Jupyter's data directory for the option: the user's (default), Python's prefix, or DIR/share/jupyter. */
    static Path dataDir(List<String> options) throws IOException, InterruptedException {
        if (options.isEmpty() || options.get(0).equals("--user")) {
            String env = System.getenv("JUPYTER_DATA_DIR");
            return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".local", "share", "jupyter");
        }
        if (options.get(0).equals("--sys-prefix")) {
            return Path.of(pythonPrefix(), "share", "jupyter");
        }
        if (options.get(0).equals("--prefix") && options.size() > 1) {
            return Path.of(options.get(1), "share", "jupyter");
        }
        throw new IllegalArgumentException("kernel install takes --user, --sys-prefix or --prefix DIR, not " + String.join(" ", options));
    }

    private static String pythonPrefix() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.prefix)").redirectErrorStream(true).start();
        String prefix = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 && !prefix.isEmpty() ? prefix : "/usr";
    }

    /** Installs the kernelspec for the user and runs Jupyter on {@code dir} until it ends. */
    private static int notebook(Path dir, PrintStream out) throws Exception {
        Path jupyter = onPath("jupyter-notebook");
        if (jupyter == null) {
            out.println("vwb: Jupyter's notebook is not installed; on Debian:");
            out.println("  " + APT_LINE);
            return 1;
        }
        Path spec = Kernelspec.install(dataDir(List.of("--user")));
        out.println("vwb: installed the kernelspec in " + spec + "; opening Jupyter on " + dir);
        Process p = new ProcessBuilder(jupyter.toString(), "--notebook-dir=" + dir.toAbsolutePath()).inheritIO().start();
        return p.waitFor();
    }

    private static Path onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
