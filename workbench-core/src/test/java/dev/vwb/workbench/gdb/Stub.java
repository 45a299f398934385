package dev.vwb.workbench.gdb;

import dev.vwb.workbench.Vm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A {@link GdbServer} on a free loopback port, serving sessions in a background thread, as the REPL would. */
final class Stub implements AutoCloseable {
    final Vm vm;
    final GdbServer server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();

    Stub(Vm vm) {
        this.vm = vm;
        this.server = GdbServer.start(vm, 0).logTo(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    }

    /** Serves one session in the background. */
    Future<SessionEnd> serve() {
        return thread.submit(server::serveOneSession);
    }

    /** How the session ended, waiting at most 20 s. */
    static SessionEnd end(Future<SessionEnd> session) throws Exception {
        return session.get(20, TimeUnit.SECONDS);
    }

    String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.shutdown();
        if (!thread.awaitTermination(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the session thread did not end after close()");
        }
    }
}
