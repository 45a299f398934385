package dev.vwb.workbench.cli;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;
import dev.vwb.workbench.WorkbenchException;
import dev.vwb.workbench.gdb.GdbServer;
import dev.vwb.workbench.hv.Hypervisor;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code vwb gdb}: a guest served to gdb over the remote protocol ({@link GdbServer}), as
 * {@code qemu -s -S} does: the guest waits at its first instruction until gdb attaches and
 * continues. One session; the command ends when it does.
 */
final class GdbCommand {
    private GdbCommand() {
    }

    private static final String USAGE = """
            usage: vwb gdb [--port N] [--bind ADDR] [--hv[=MODE]] [--ram MIB]
                           [--flat ADDR [--mode real|protected] | --rom] GUEST

            Serves GUEST to gdb (or an IDE) over the GDB remote protocol, as qemu -s -S does: the
            guest waits at its first instruction; attach with  target remote 127.0.0.1:1234
            and use gdb as usual (info registers, x, break, watch, rwatch, awatch, stepi,
            continue, Ctrl-C). Addresses are linear; memory is read through the guest's page
            tables. The guest's console (E9h) and COM1 output appear in gdb.

              GUEST            a bundled guest (%s)
                               or a file: a Multiboot kernel, or with --flat/--rom a flat binary
                               or a ROM image
              --port N         the TCP port (default 1234; 0 picks a free one)
              --bind ADDR      the address to listen on (default 127.0.0.1: only this machine can
                               attach). Anyone who reaches another address controls the guest
              --hv[=MODE]      run the kernel under vwb's hypervisor (patch, trap or paravirt;
                               default patch); gdb then sees the deprivileged CPU (ring 1)
              --ram MIB        RAM in MiB (default 16)
              --flat ADDR      GUEST is a flat binary loaded at ADDR, started in real mode
                               (CS:IP = ADDR>>4:ADDR&15), or with --mode protected in 32-bit flat
                               protected mode at EIP = ADDR
              --rom            GUEST is a ROM image (up to 128 KiB), started at F000:FFF0

            One gdb session: when gdb detaches (detach, quit), kills the target (kill) or
            disconnects, or after the guest powers off, the command ends (status 0). A second
            gdb that connects meanwhile is turned away.
            """;

    static int run(String[] args, PrintStream out) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.printf(USAGE, String.join(", ", Workbench.bundledGuests()));
            return 0;
        }
        Options o = Options.parse(args);
        Vm vm;
        try {
            vm = o.build();
        } catch (WorkbenchException e) {
            throw new IllegalArgumentException("gdb: " + e.getMessage());
        }
        GdbServer server;
        try {
            server = GdbServer.start(vm, o.bind, o.port);
        } catch (WorkbenchException e) {
            throw new IllegalArgumentException("gdb: " + e.getMessage());
        }
        try (server) {
            out.printf("vwb gdb: %s waits for gdb on %s; attach with: gdb -ex '%s'%n", o.guest,
                    hostPort(server), server.attachCommand());
            out.flush();
            server.logTo(out).serveOneSession();  // the log's last line says how it ended
        }
        return 0;
    }

    private static String hostPort(GdbServer s) {
        return s.attachCommand().substring("target remote ".length());
    }

    /** The command line. */
    private static final class Options {
        String guest;
        int port = GdbServer.DEFAULT_PORT;
        InetAddress bind = InetAddress.getLoopbackAddress();
        Hypervisor.Mode mode;
        int ramMiB = 16;
        Long flat;
        boolean protectedMode;
        boolean rom;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--port" -> o.port = (int) number(args, ++i, 0xFFFF);
                    case "--bind" -> o.bind = address(value(args, ++i, a));
                    case "--ram" -> o.ramMiB = (int) number(args, ++i, 2048);
                    case "--flat" -> o.flat = number(args, ++i, 0xFFFF_FFFFL);
                    case "--rom" -> o.rom = true;
                    case "--hv" -> o.mode = Hypervisor.Mode.PATCH;
                    case "--mode" -> {
                        String m = value(args, ++i, a);
                        if (!m.equals("real") && !m.equals("protected")) {
                            throw new IllegalArgumentException("gdb: --mode is real or protected, not '" + m + "'");
                        }
                        o.protectedMode = m.equals("protected");
                    }
                    default -> {
                        if (a.startsWith("--hv=")) {
                            o.mode = Hypervisor.Mode.parse(a.substring(5));
                        } else if (a.startsWith("-")) {
                            throw new IllegalArgumentException("gdb: unknown option '" + a + "'; try ./vwb gdb --help");
                        } else if (o.guest != null) {
                            throw new IllegalArgumentException("gdb: one guest at a time ('" + o.guest + "' and '" + a + "')");
                        } else {
                            o.guest = a;
                        }
                    }
                }
            }
            if (o.guest == null) {
                throw new IllegalArgumentException("gdb: which guest? e.g. ./vwb gdb demo; try ./vwb gdb --help");
            }
            if (o.flat != null && o.rom) {
                throw new IllegalArgumentException("gdb: --flat and --rom exclude each other");
            }
            return o;
        }

        Vm build() {
            Workbench.Builder b;
            if (Workbench.bundledGuests().contains(guest) && flat == null && !rom) {
                b = Workbench.fromBundled(guest);
            } else {
                Path file = Path.of(guest);
                if (!Files.isRegularFile(file)) {
                    throw new WorkbenchException("'" + guest + "' is neither a bundled guest ("
                            + String.join(", ", Workbench.bundledGuests()) + ") nor a file");
                }
                b = Workbench.fromFile(file);
                if (flat != null) {
                    b = protectedMode ? b.protectedMode(flat) : b.realMode(flat);
                } else if (rom) {
                    b = b.rom();
                }
            }
            return b.ramMiB(ramMiB).hypervisor(mode).build();
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException("gdb: " + option + " needs a value; try ./vwb gdb --help");
            }
            return args[i];
        }

        private static long number(String[] args, int i, long max) {
            String s = value(args, i, args[i - 1]);
            try {
                long v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
                if (v < 0 || v > max) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("gdb: " + args[i - 1] + " takes a number from 0 to " + max + ", not '" + s + "'");
            }
        }

        private static InetAddress address(String s) {
            try {
                return InetAddress.getByName(s);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("gdb: --bind: no such address '" + s + "'");
            }
        }
    }
}
