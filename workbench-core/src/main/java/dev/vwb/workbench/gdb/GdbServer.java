package dev.vwb.workbench.gdb;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.WorkbenchException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A GDB remote stub for a {@link Vm}: gdb, or an IDE that speaks gdb's Remote Serial Protocol,
 * attaches with {@code target remote HOST:PORT} as it does to QEMU's gdbstub, and then reads and
 * writes registers and memory, sets breakpoints and watchpoints, steps, continues and interrupts
 * the guest (Ctrl-C).
 *
 * <pre>{@code
 * Vm vm = Workbench.bundled("teachkernel");
 * try (GdbServer gdb = GdbServer.start(vm, InetAddress.getLoopbackAddress(), 1234)) {
 *     System.out.println("in gdb: " + gdb.attachCommand());   // target remote 127.0.0.1:1234
 *     SessionEnd end = gdb.serveOneSession();                  // blocks until gdb leaves
 * }
 * vm.registers();                                               // the VM stays usable
 * }</pre>
 *
 * <p>The guest runs only when gdb says so ({@code c}, {@code s}), in the thread that called
 * {@link #serveOneSession()}; between sessions, and after one, the VM is stopped where gdb left it
 * and can be used as ever (gdb's breakpoints are removed, any others kept). One session at a time:
 * a second client that connects meanwhile is disconnected at once. {@link #close()} may be called
 * from any thread; it ends a session in progress (stopping a running guest) and the server.
 *
 * <p>Addresses gdb uses are linear (CS base + offset, through the guest's page tables as they are
 * in memory), as with QEMU; registers are the CPU's, which under the hypervisor are the
 * deprivileged real ones (CS with RPL 1 for the guest kernel), not the guest's virtual view.
 * The package's DESIGN notes list the packets.
 */
public final class GdbServer implements AutoCloseable {
    /** The port QEMU's {@code -s} listens on, and ours by default. */
    public static final int DEFAULT_PORT = 1234;
    /** How often a waiting accept looks at {@link #close()}. */
    private static final int ACCEPT_POLL_MILLIS = 200;

    private final Vm vm;
    private final ServerSocket server;
    private volatile boolean closed;
    /** Set while a thread is in {@link #serveOneSession()}: one session at a time. */
    private final AtomicBoolean serving = new AtomicBoolean();
    private volatile GdbSession current;
    private volatile PrintStream log;

    private GdbServer(Vm vm, ServerSocket server) {
        this.vm = vm;
        this.server = server;
    }

    /**
     * Listens on {@code bind}:{@code port} for gdb ({@code port} 0: any free port, see
     * {@link #port()}). Nothing is served until {@link #serveOneSession()}.
     *
     * @param bind the address to listen on: {@link InetAddress#getLoopbackAddress()} lets only
     *             this machine attach; another address lets anyone who reaches it control the guest
     * @throws WorkbenchException when the port is taken or the address is not this machine's
     */
    public static GdbServer start(Vm vm, InetAddress bind, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new WorkbenchException("a TCP port is 0 to 65535, not " + port);
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(bind, port), 1);
            s.setSoTimeout(ACCEPT_POLL_MILLIS);
            return new GdbServer(vm, s);
        } catch (IOException e) {
            throw new WorkbenchException("cannot listen for gdb on " + hostPort(bind, port) + ": " + e.getMessage());
        }
    }

    /** {@link #start(Vm, InetAddress, int)} on the loopback address. */
    public static GdbServer start(Vm vm, int port) {
        return start(vm, InetAddress.getLoopbackAddress(), port);
    }

    /** The port listened on (the one chosen, when started with port 0). */
    public int port() {
        return server.getLocalPort();
    }

    /** The address and port listened on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), port());
    }

    /**
     * What to type in gdb: {@code target remote 127.0.0.1:1234}. For a wildcard address (0.0.0.0)
     * it names the loopback address, which reaches it from this machine.
     */
    public String attachCommand() {
        InetAddress a = server.getInetAddress();
        return "target remote " + hostPort(a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a, port());
    }

    /** Where the server writes a line for each connection, refusal and malformed packet (null: nowhere, the default). */
    public GdbServer logTo(PrintStream out) {
        this.log = out;
        return this;
    }

    /**
     * Waits for gdb to connect, serves it until it detaches, kills the target or disconnects
     * (or {@link #close()}), and returns how it ended. The guest runs in this thread while gdb
     * has it running. Call it again for the next session.
     *
     * @throws WorkbenchException when the VM is running in another thread, or accepting fails
     */
    public SessionEnd serveOneSession() {
        if (!serving.compareAndSet(false, true)) {
            throw new WorkbenchException("this server is serving a session already (one at a time)");
        }
        try {
            return serve();
        } finally {
            serving.set(false);
        }
    }

    private SessionEnd serve() {
        if (vm.isRunning()) {
            throw new WorkbenchException("the VM is running in another thread; stop() it before serving gdb");
        }
        Socket client = accept();
        if (client == null) {
            return SessionEnd.CLOSED;
        }
        log("gdb connected from " + client.getRemoteSocketAddress());
        Thread turnAway = turnAwayOthers();
        SessionEnd end;
        try {
            client.setTcpNoDelay(true);
            GdbSession session = GdbSession.open(vm, client, log);
            current = session;
            if (closed) {
                session.close();
            }
            end = session.serve();
        } catch (IOException e) {
            end = SessionEnd.DISCONNECTED;
        } finally {
            current = null;
            turnAway.interrupt();
            join(turnAway);
            closeQuietly(client);
        }
        if (closed) {
            end = SessionEnd.CLOSED;
        }
        log(String.format("%s; the guest is stopped at time %,d, at %s", end.description(), vm.time(), vm.where()));
        return end;
    }

    /** Stops listening; a session in progress ends (its guest stopped) and {@link #serveOneSession()} returns CLOSED. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        GdbSession s = current;
        if (s != null) {
            s.close();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** The next client, or null once closed; the accept wakes every {@value #ACCEPT_POLL_MILLIS} ms to see. */
    private Socket accept() {
        while (!closed) {
            try {
                return server.accept();
            } catch (SocketTimeoutException e) {
                // look at closed again
            } catch (IOException e) {
                if (closed) {
                    return null;
                }
                throw new WorkbenchException("accepting gdb's connection failed: " + e.getMessage());
            }
        }
        return null;
    }

    /** During a session: anyone else who connects is disconnected at once (one session at a time). */
    private Thread turnAwayOthers() {
        Thread t = new Thread(() -> {
            while (!closed && !Thread.currentThread().isInterrupted()) {
                try (Socket other = server.accept()) {
                    log("refused a second connection from " + other.getRemoteSocketAddress()
                            + ": one gdb session at a time");
                } catch (SocketTimeoutException e) {
                    // look at the flags again
                } catch (SocketException e) {
                    return;  // the server was closed
                } catch (IOException e) {
                    log("while refusing a second connection: " + e.getMessage());
                }
            }
        }, "gdb-stub-turn-away");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void log(String line) {
        PrintStream out = log;
        if (out != null) {
            out.println("vwb gdb: " + line);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed or broken: nothing to do
        }
    }

    private static String hostPort(InetAddress a, int port) {
        String host = a.getHostAddress();
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "gdb stub for " + vm + ", listening on " + hostPort(server.getInetAddress(), port())
                + (closed ? " (closed)" : "");
    }
}
