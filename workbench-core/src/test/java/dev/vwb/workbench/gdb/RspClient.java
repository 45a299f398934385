package dev.vwb.workbench.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal gdb for the protocol tests: sends packets (acknowledging replies as gdb does), reads
 * replies, collects console output ({@code O} packets), and can send raw bytes.
 */
final class RspClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean acks = true;
    /** The acknowledgements ('+' or '-') the stub sent, in order. */
    final StringBuilder acksSeen = new StringBuilder();
    /** Console output the stub sent (O packets), decoded. */
    final StringBuilder console = new StringBuilder();

    RspClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);  // as gdb: an ack and the next packet are two small writes
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static String frame(String data) {
        int sum = 0;
        for (byte b : data.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xFF;
        }
        return "$" + data + "#" + String.format("%02x", sum & 0xFF);
    }

    /** Sends a packet and returns the stub's reply (console output on the way goes to {@link #console}). */
    String ask(String data) throws IOException {
        send(data);
        return reply();
    }

    void send(String data) throws IOException {
        raw(frame(data));
    }

    void raw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void noAcks() {
        acks = false;
    }

    /** The next reply that is not console output. */
    String reply() throws IOException {
        while (true) {
            String p = packet();
            if (p.startsWith("O") && p.length() > 1 && p.length() % 2 == 1 && !p.equals("OK")) {
                console.append(new String(Hex.bytes(p.substring(1)), StandardCharsets.UTF_8));
                continue;
            }
            return p;
        }
    }

    /** The next packet's data (acks before it are recorded). */
    String packet() throws IOException {
        int c;
        while ((c = read()) != '$') {
            if (c == '+' || c == '-') {
                acksSeen.append((char) c);
            }
        }
        StringBuilder data = new StringBuilder();
        while ((c = read()) != '#') {
            data.append((char) c);
        }
        String cs = "" + (char) read() + (char) read();
        if (!frame(data.toString()).endsWith("#" + cs)) {
            throw new IOException("bad checksum from the stub: " + data + "#" + cs);
        }
        if (acks) {
            raw("+");
        }
        return data.toString();
    }

    /** Waits for the stub to close the connection; true if it did. */
    boolean closedByStub() throws IOException {
        try {
            int c;
            while ((c = in.read()) == '+' || c == '-') {
                acksSeen.append((char) c);
            }
            return c < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private int read() throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new IOException("the stub closed the connection");
        }
        return c;
    }

    static List<String> chunks(String s, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i += n) {
            out.add(s.substring(i, Math.min(s.length(), i + n)));
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
