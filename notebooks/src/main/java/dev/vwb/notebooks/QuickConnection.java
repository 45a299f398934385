package dev.vwb.notebooks;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.HMACGenerator;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.publish.PublishStatus;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import org.zeromq.ZMQ;

/**
 * The library's connection with quicker shell and control channels. Its channels look for a
 * request, and when there is none sleep 50 ms before looking again: every cell then waits 25 ms
 * on average (up to 50) before the kernel even sees it, half of the 50 ms a trivial cell may take
 * (issue 9). These poll every {@value #POLL_MS} ms instead; an idle kernel pays for it with about
 * a thousand wake-ups a second, a fraction of a per cent of one core (measured in DESIGN.md).
 *
 * <p>The library's own shell and control channels are built by its constructor but never bound;
 * the heartbeat, stdin and iopub channels are the library's, bound here as its {@code connect}
 * would.
 */
public final class QuickConnection extends JupyterConnection {
    /** How long an idle shell or control channel sleeps between looks. */
    static final long POLL_MS = 2;

    private final KernelConnectionProperties properties;
    private final ZMQ.Context context = ZMQ.context(1);
    private final ShellChannel quickShell;
    private final ShellChannel quickControl;
    private boolean connected;

    public QuickConnection(KernelConnectionProperties properties) throws NoSuchAlgorithmException, InvalidKeyException {
        super(properties);
        this.properties = properties;
        HMACGenerator hmac = properties.createHMACGenerator();
        this.quickShell = new ShellChannel(context, hmac, false, this, POLL_MS);
        this.quickControl = new ShellChannel(context, hmac, true, this, POLL_MS);
    }

    @Override
    public void connect() {
        if (connected) {
            return;
        }
        heartbeat.bind(properties);
        iopub.bind(properties);
        stdin.bind(properties);
        quickShell.bind(properties);
        quickControl.bind(properties);
        getIOPub().sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        connected = true;
    }

    @Override
    public void close() {
        // A channel's loop may be inside a poll of the socket this closes (it polls every few ms,
        // where the library's slept most of the time); the poll then throws in the loop's thread,
        // which was ending anyway. Keep that out of Jupyter's log.
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            boolean closing = e instanceof java.nio.channels.CancelledKeyException
                    || e instanceof java.nio.channels.ClosedSelectorException || e instanceof org.zeromq.ZMQException;
            if (!closing) {
                if (previous != null) {
                    previous.uncaughtException(thread, e);
                } else {
                    e.printStackTrace();
                }
            }
        });
        quickShell.close();
        quickControl.close();
        context.close();
        super.close();
    }

    @Override
    public void waitUntilClose() {
        quickShell.waitUntilClose();
        quickControl.waitUntilClose();
        super.waitUntilClose();
    }
}
