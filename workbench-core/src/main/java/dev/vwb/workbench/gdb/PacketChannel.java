package dev.vwb.workbench.gdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wire of the GDB Remote Serial Protocol over one socket: packets {@code $data#cs} with a
 * two-digit checksum (the sum of the data bytes modulo 256), acknowledged with {@code +} (or
 * {@code -}, "send it again") until {@code QStartNoAckMode} turns acks off, and the lone byte
 * 03h by which gdb interrupts a running target (Ctrl-C).
 *
 * <p>A reader thread reads the socket all the time, also while the session thread is busy running
 * the guest: that is how a Ctrl-C or a disconnection mid-run is noticed. It calls
 * {@code onBreak} for both (the session then stops the VM) and queues packets for
 * {@link #next()}, each stamped with the number of Ctrl-Cs read before it, so that a Ctrl-C
 * meant for an earlier run cannot stop a later one.
 *
 * <p>Bytes outside packets other than {@code + - $ 03h} are ignored (garbage is skipped until
 * the next {@code $}); a packet with a bad checksum is answered {@code -} in ack mode, and queued
 * as malformed (the session answers an error) without acks; a packet longer than
 * {@link #MAX_PACKET} is queued as malformed. The data of a packet is decoded as ISO-8859-1, one
 * char per byte, so binary data survives; {@code }}-escapes are undone.
 */
final class PacketChannel implements AutoCloseable {
    /** The largest packet accepted and announced in {@code qSupported} (PacketSize=4000). */
    static final int MAX_PACKET = 0x4000;
    private static final int INTERRUPT = 0x03;

    /**
     * One thing read from the socket: a packet's data, or (data null) the end of the connection.
     *
     * @param data             the packet's data, unescaped; null when the connection closed
     * @param malformed        why the packet cannot be used (bad checksum without acks, too long), or null
     * @param interruptsBefore how many Ctrl-Cs had been read before this packet
     */
    record Incoming(String data, String malformed, long interruptsBefore) {
        boolean closed() {
            return data == null && malformed == null;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Runnable onBreak;
    private final BlockingQueue<Incoming> queue = new LinkedBlockingQueue<>();
    private final AtomicLong interrupts = new AtomicLong();
    private final Thread reader;
    private volatile boolean ackMode = true;
    private volatile boolean closed;
    /** The last packet sent, framed, for a {@code -}. */
    private byte[] lastSent;

    /** Starts reading {@code socket}; {@code onBreak} runs (in the reader thread) on each Ctrl-C and when the connection ends. */
    PacketChannel(Socket socket, Runnable onBreak) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.onBreak = onBreak;
        this.reader = new Thread(this::readLoop, "gdb-stub-reader " + socket.getRemoteSocketAddress());
        reader.setDaemon(true);
        reader.start();
    }

    /** The next packet, blocking; {@link Incoming#closed()} once the connection has ended. */
    Incoming next() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Incoming(null, null, interrupts.get());
        }
    }

    /** Ctrl-Cs read so far. */
    long interrupts() {
        return interrupts.get();
    }

    boolean isClosed() {
        return closed;
    }

    /** From now on no acks are sent or expected (after replying OK to {@code QStartNoAckMode}). */
    void stopAcks() {
        ackMode = false;
    }

    /**
     * Sends a packet whose data is already in the protocol's text form (hex, or escaped with
     * {@link Hex#escapeBinary}). A send to a closed connection is dropped: the reader notices
     * the end and the session ends there.
     */
    void send(String data) {
        byte[] body = data.getBytes(StandardCharsets.ISO_8859_1);
        int sum = 0;
        for (byte b : body) {
            sum += b & 0xFF;
        }
        byte[] framed = new byte[body.length + 4];
        framed[0] = '$';
        System.arraycopy(body, 0, framed, 1, body.length);
        framed[body.length + 1] = '#';
        byte[] cs = Hex.byte2(sum & 0xFF).getBytes(StandardCharsets.ISO_8859_1);
        framed[body.length + 2] = cs[0];
        framed[body.length + 3] = cs[1];
        synchronized (this) {
            lastSent = framed;
            write(framed);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that is already broken: nothing left to do
        }
    }

    // ---- the reader thread ------------------------------------------------------------------

    private void readLoop() {
        try {
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '$') {
                    readPacket();
                } else if (c == INTERRUPT) {
                    interrupts.incrementAndGet();
                    onBreak.run();
                } else if (c == '-' && ackMode) {
                    resend();
                }
                // '+' and any other byte outside a packet: nothing to do
            }
        } catch (IOException e) {
            // the connection broke: the same as an orderly end
        } finally {
            closed = true;
            onBreak.run();
            queue.add(new Incoming(null, null, interrupts.get()));
        }
    }

    /** After a {@code $}: the data up to {@code #}, then the checksum. A {@code $} inside starts over. */
    private void readPacket() throws IOException {
        StringBuilder data = new StringBuilder();
        int sum = 0;
        boolean tooLong = false;
        boolean escaped = false;
        int c;
        while ((c = in.read()) != '#') {
            if (c < 0) {
                return;
            }
            if (c == '$') {  // a new packet in the middle of this one: the old one was garbage
                data.setLength(0);
                sum = 0;
                tooLong = false;
                escaped = false;
                continue;
            }
            sum += c;
            if (data.length() >= MAX_PACKET) {
                tooLong = true;
            } else if (escaped) {
                data.append((char) (c ^ 0x20));
                escaped = false;
            } else if (c == '}') {
                escaped = true;
            } else {
                data.append((char) c);
            }
        }
        int hi = in.read();
        int lo = in.read();
        if (hi < 0 || lo < 0) {
            return;
        }
        boolean checksumOk = checksum(hi, lo) == (sum & 0xFF);
        if (ackMode) {
            write(new byte[] {(byte) (checksumOk ? '+' : '-')});
            if (!checksumOk) {
                return;  // gdb sends it again
            }
        }
        long before = interrupts.get();
        if (!checksumOk) {
            queue.add(new Incoming(null, "bad checksum", before));
        } else if (tooLong) {
            queue.add(new Incoming(null, "packet longer than " + MAX_PACKET + " bytes", before));
        } else {
            queue.add(new Incoming(data.toString(), null, before));
        }
    }

    private static int checksum(int hi, int lo) {
        try {
            return (int) Hex.parse("" + (char) hi + (char) lo);
        } catch (MalformedPacketException e) {
            return -1;
        }
    }

    private synchronized void resend() {
        if (lastSent != null) {
            write(lastSent);
        }
    }

    private synchronized void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            close();
        }
    }
}
