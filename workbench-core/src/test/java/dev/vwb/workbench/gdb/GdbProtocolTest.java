package dev.vwb.workbench.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.workbench.Outcome;
import dev.vwb.workbench.Vm;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The stub's packets and replies, driven by a socket client as gdb drives them. */
class GdbProtocolTest {
    private static String le(long v) {
        return Hex.littleEndian(v, 4);
    }

    @Test
    void qSupportedAnnouncesPacketSizeTheTargetDescriptionAndBreakpointReasons() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.COUNTER)); RspClient gdb = connect(stub)) {
            String r = gdb.ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
            assertTrue(r.contains("PacketSize=4000"), r);
            assertTrue(r.contains("qXfer:features:read+"), r);
            assertTrue(r.contains("swbreak+") && r.contains("hwbreak+") && r.contains("QStartNoAckMode+"), r);
            assertEquals("T05thread:01;", gdb.ask("?"));
            assertEquals("1", gdb.ask("qAttached"));
            assertEquals("QC01", gdb.ask("qC"));
            assertEquals("m01", gdb.ask("qfThreadInfo"));
            assertEquals("l", gdb.ask("qsThreadInfo"));
            assertEquals("OK", gdb.ask("Hg0"));
            assertEquals("OK", gdb.ask("Hc-1"));
            assertEquals("E22", gdb.ask("Hg2"));
            assertEquals("vCont;c;C;s;S", gdb.ask("vCont?"));
        }
    }

    @Test
    void targetXmlIsServedInPiecesAndDescribesA32BitI386WithTheCoreFeature() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.COUNTER)); RspClient gdb = connect(stub)) {
            StringBuilder xml = new StringBuilder();
            int pieces = 0;
            while (true) {
                String r = gdb.ask(String.format("qXfer:features:read:target.xml:%x,%x", xml.length(), 0x200));
                pieces++;
                xml.append(r.substring(1));
                if (r.startsWith("l")) {
                    break;
                }
                assertTrue(r.startsWith("m"), r);
            }
            assertTrue(pieces > 2, "read in " + pieces + " pieces");
            assertEquals(I386Registers.targetXml(), xml.toString());
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)));
            assertEquals("i386", doc.getElementsByTagName("architecture").item(0).getTextContent());
            assertEquals("org.gnu.gdb.i386.core", doc.getElementsByTagName("feature").item(0).getAttributes()
                    .getNamedItem("name").getNodeValue());
            assertEquals(I386Registers.COUNT, doc.getElementsByTagName("reg").getLength());
            assertEquals("E00", gdb.ask("qXfer:features:read:i386-64bit.xml:0,100"));
            assertEquals("l", gdb.ask("qXfer:features:read:target.xml:10000,100"));
        }
    }

    @Test
    void gHoldsTheSixteenCoreRegistersInQemuOrder_littleEndian() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        vm.step(4);  // mov esp; mov eax; mov ebx; xor ecx
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            String g = gdb.ask("g");
            assertEquals(16 * 8, g.length());
            String[] names = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags",
                "cs", "ss", "ds", "es", "fs", "gs"};
            for (int i = 0; i < names.length; i++) {
                assertEquals(le(vm.reg(names[i])), g.substring(8 * i, 8 * i + 8), names[i]);
            }
            assertEquals("44332211", g.substring(0, 8));
            assertEquals(le(0x10000f + 2), g.substring(64, 72));  // eip after xor ecx, ecx
            assertEquals(le(vm.reg("cr0")), gdb.ask("p20"));       // register 32: cr0
            assertEquals("00000000000000000000", gdb.ask("p10"));  // st0: no FPU
            assertEquals(le(vm.reg("ebx")), gdb.ask("p3"));
            assertEquals("E01", gdb.ask("p24"));                   // past the last register
        }
    }

    @Test
    void gAndPWriteRegistersIntoTheVm_andASelectorTheCpuRefusesIsE22() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            assertEquals("OK", gdb.ask("P0=" + le(0xDEADBEEFL)));
            assertEquals(0xDEADBEEFL, vm.reg("eax"));
            String g = gdb.ask("g");
            String changed = le(0x01020304) + g.substring(8, 24) + le(0x0BADF00D) + g.substring(32);
            assertEquals("OK", gdb.ask("G" + changed));
            assertEquals(0x01020304, vm.reg("eax"));
            assertEquals(0x0BADF00D, vm.reg("ebx"));
            assertEquals(changed, gdb.ask("g"));

            String badDs = changed.substring(0, 8 * 12) + le(0x1234) + changed.substring(8 * 13);  // ds = 1234h: no such descriptor
            String withEax = le(0x77) + badDs.substring(8);
            assertEquals("E22", gdb.ask("G" + withEax));
            assertEquals(0x01020304, vm.reg("eax"), "a refused G changes no general register");
            assertEquals("E22", gdb.ask("P18=00000000"), "the FPU cannot be written");
            assertEquals("E01", gdb.ask("G1234"));
            assertEquals("E01", gdb.ask("P0=12"));
        }
    }

    @Test
    void memoryIsReadThroughThePageTables_partlyWhereAReadRunsIntoAnUnmappedPage_andE14WhereNothingIsMapped() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.PAGING);
        assertEquals(Outcome.HALTED, vm.run().outcome());
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            assertEquals("0df0feca", gdb.ask("m3000,4"), "linear 3000h is physical 5000h");
            assertEquals("0df0feca", gdb.ask("m5000,4"));
            assertEquals("E14", gdb.ask("mc00000,4"));
            String partial = gdb.ask("m3ffffe,4");  // the last two bytes of the mapped 4 MiB
            assertEquals(4, partial.length(), partial);
            assertEquals("E14", gdb.ask("Mc00000,2:abcd"));
            assertEquals("OK", gdb.ask("M3000,2:abcd"));
            assertEquals(0xCDAB, vm.physical().read16(0x5000));
            assertEquals("E14", gdb.ask("M3ffffe,4:01020304"), "a write that runs into an unmapped page");
            assertEquals(0, vm.physical().read16(0x3ffffe), "... writes nothing");
        }
    }

    @Test
    void stepRunsOneInstruction_andAnAddressGivenWithItMovesEipFirst() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            assertEquals("T05thread:01;", gdb.ask("s"));
            assertEquals(1, vm.time());
            assertEquals(0x100005, vm.eip());
            assertEquals("T05thread:01;", gdb.ask("vCont;s:1"));
            assertEquals(0x10000a, vm.eip());
            assertEquals("T05thread:01;", gdb.ask("s10000f"));
            assertEquals(0x100011, vm.eip());
            assertEquals("E01", gdb.ask("sxyz"));
        }
    }

    @Test
    void aSoftwareBreakpointStopsBeforeItsInstruction_withSwbreak_andContinuingRunsIt() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        long again = GdbGuests.at(vm, "again");
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            assertEquals("OK", gdb.ask(String.format("Z0,%x,1", again)));
            assertEquals("OK", gdb.ask(String.format("Z0,%x,1", again)), "inserting twice is fine");
            assertEquals("T05swbreak:;thread:01;", gdb.ask("c"));
            assertEquals(again, vm.eip());
            assertEquals(0, vm.reg("ecx"));
            assertEquals("T05swbreak:;thread:01;", gdb.ask("c"), "the loop comes round again");
            assertEquals(1, vm.reg("ecx"));
            assertEquals("OK", gdb.ask(String.format("z0,%x,1", again)));
            assertEquals("OK", gdb.ask(String.format("Z1,%x,1", GdbGuests.at(vm, "done"))));
            assertEquals("T05hwbreak:;thread:01;", gdb.ask("vCont;c"));
            assertEquals(GdbGuests.at(vm, "done"), vm.eip());
            assertEquals(5, vm.reg("ecx"));
        }
    }

    @Test
    void aBreakpointOnAPageNotYetMappedIsAcceptedAndHitOnceItIs() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.PAGING);
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            assertEquals("OK", gdb.ask("Z0,c00000,1"));  // never reached: the session must not mind
            assertEquals("OK", gdb.ask(String.format("Z0,%x,1", GdbGuests.at(vm, "paged"))));
            assertEquals("T05swbreak:;thread:01;", gdb.ask("c"));
            assertEquals(GdbGuests.at(vm, "paged"), vm.eip());
        }
    }

    @Test
    void watchpointsStopAfterTheAccessingInstruction_withTheirKindAndDataAddress() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        long counter = GdbGuests.at(vm, "counter");
        long limit = GdbGuests.at(vm, "limit");
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            assertEquals("OK", gdb.ask(String.format("Z2,%x,4", counter)));
            assertEquals(String.format("T05watch:%x;thread:01;", counter), gdb.ask("c"));
            assertEquals(0x10001b, vm.eip(), "after mov [counter], ecx");
            assertEquals(1, vm.physical().read32(counter));
            assertEquals("OK", gdb.ask(String.format("z2,%x,4", counter)));

            assertEquals("OK", gdb.ask(String.format("Z3,%x,4", limit)));
            assertEquals(String.format("T05rwatch:%x;thread:01;", limit), gdb.ask("c"));
            assertEquals(0x100021, vm.eip(), "after mov edx, [limit]");
            assertEquals("OK", gdb.ask(String.format("z3,%x,4", limit)));

            assertEquals("OK", gdb.ask(String.format("Z4,%x,2", counter + 2)));  // the high half of a dword write
            assertEquals(String.format("T05awatch:%x;thread:01;", counter + 2), gdb.ask("c"));
            assertEquals(0x10001b, vm.eip());
            assertEquals(2, vm.reg("ecx"));
            assertEquals("E22", gdb.ask("Z2,1000,0"), "a watchpoint of no bytes");
            assertEquals("", gdb.ask("Z5,1000,1"), "an unknown kind is not supported");
        }
    }

    @Test
    void aGuestThatPowersOffGetsWWithQemusExitStatus_andItsOutputReachesGdb() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        try (Stub stub = new Stub(vm)) {
            Future<SessionEnd> session = stub.serve();
            try (RspClient gdb = new RspClient(stub.server.port())) {
                assertEquals("W07", gdb.ask("c"));  // out 0xF4 with 3: QEMU exits with 3 * 2 + 1
                assertTrue(gdb.console.toString().startsWith("K"), gdb.console::toString);
                assertTrue(gdb.console.toString().contains("powered off"), gdb.console::toString);
                assertEquals("W07", gdb.ask("?"));
            }
            assertEquals(SessionEnd.GUEST_ENDED, Stub.end(session));
        }
    }

    @Test
    void aTripleFaultGetsXWithSigsegv() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.TRIPLE_FAULT)); RspClient gdb = connect(stub)) {
            assertEquals("X0b", gdb.ask("c"));
            assertTrue(gdb.console.toString().contains("shut down"), gdb.console::toString);
        }
    }

    @Test
    void aHaltThatNothingEndsStopsWithSigtrapAndSaysWhy() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.HALT)); RspClient gdb = connect(stub)) {
            assertEquals("T05thread:01;", gdb.ask("c"));
            assertTrue(gdb.console.toString().contains("halted"), gdb.console::toString);
        }
    }

    @Test
    void ctrlCStopsARunningGuestWithSigint_andItContinuesFromThere() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.SPIN);
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            gdb.send("c");
            Thread.sleep(300);
            gdb.raw("\u0003");
            assertEquals("T02thread:01;", gdb.reply());
            long t = vm.time();
            assertTrue(t > 1000, "it ran: " + t);
            gdb.send("c");
            Thread.sleep(200);
            gdb.raw("\u0003");
            assertEquals("T02thread:01;", gdb.reply());
            assertTrue(vm.time() > t);
        }
    }

    @Test
    void theGuestsOutputReachesGdbWhileItRuns() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.PRINT_THEN_SPIN)); RspClient gdb = connect(stub)) {
            gdb.send("c");
            assertEquals("O" + Hex.text("spinning"), gdb.packet(), "before any stop");
            gdb.raw("\u0003");
            assertEquals("T02thread:01;", gdb.reply());
        }
    }

    @Test
    void aDisconnectMidRunStopsTheGuest_leavesTheVmUsable_andTheNextSessionIsServed() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.SPIN);
        try (Stub stub = new Stub(vm)) {
            Future<SessionEnd> first = stub.serve();
            try (RspClient gdb = new RspClient(stub.server.port())) {
                assertEquals("OK", gdb.ask("Z0,c0000,1"));
                gdb.send("c");
                Thread.sleep(200);
            }
            assertEquals(SessionEnd.DISCONNECTED, Stub.end(first));
            assertFalse(vm.isRunning());
            assertTrue(vm.breakpoints().list().isEmpty(), "gdb's breakpoints are gone: " + vm.breakpoints());
            assertEquals(Outcome.COMPLETED, vm.step(3).outcome());

            Future<SessionEnd> second = stub.serve();
            try (RspClient gdb = new RspClient(stub.server.port())) {
                assertEquals(le(vm.reg("eax")), gdb.ask("p0"));
                assertEquals("OK", gdb.ask("D"));
            }
            assertEquals(SessionEnd.DETACHED, Stub.end(second));
        }
    }

    @Test
    void aBadChecksumIsAnsweredWithMinus_andTheRetransmissionIsServed() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.COUNTER)); RspClient gdb = connect(stub)) {
            gdb.raw("$qC#00");
            gdb.send("qC");
            assertEquals("QC01", gdb.reply());
            assertTrue(gdb.acksSeen.toString().startsWith("-+"), gdb.acksSeen::toString);
        }
    }

    @Test
    void malformedAndUnknownPacketsGetAnErrorOrTheEmptyReply_neverACrash() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            gdb.raw("garbage between packets \u0001\u00ff+++");
            assertEquals("E01", gdb.ask("mzz,4"));
            assertEquals("E01", gdb.ask("m1000"));
            assertEquals("E01", gdb.ask("m1000,"));
            assertEquals("E01", gdb.ask("m123456789,4"));
            assertEquals("E01", gdb.ask("M1000,4:0102"));
            assertEquals("E01", gdb.ask("M1000,1:0g"));
            assertEquals("E01", gdb.ask("Z0,xyz,1"));
            assertEquals("E01", gdb.ask("Z0,1000"));
            assertEquals("E01", gdb.ask("P"));
            assertEquals("E01", gdb.ask("pzz"));
            assertEquals("E01", gdb.ask("H"));
            assertEquals("E01", gdb.ask("vCont;x"));
            assertEquals("E01", gdb.ask("qXfer:features:read:target.xml:zz,10"));
            assertEquals("", gdb.ask("J"));
            assertEquals("", gdb.ask("vFile:open:6a7573742070726f62696e67,0,1c0"));
            assertEquals("", gdb.ask("qRcmd,6865616c7468"));
            assertEquals("", gdb.ask("X100000,0:"), "binary writes: gdb falls back to M");
            assertEquals("E01", gdb.ask("x".repeat(PacketChannel.MAX_PACKET + 10)), "too long");
            gdb.raw("$qC" + RspClient.frame("qC"));  // a packet begun anew inside another: the first is dropped
            assertEquals("QC01", gdb.reply());
            assertEquals("T05thread:01;", gdb.ask("?"), "and the session goes on");
            assertEquals(le(vm.reg("eax")), gdb.ask("p0"));
        }
        assertEquals(0, vm.time(), "nothing ran");
    }

    @Test
    void randomPacketsAndRandomBytesNeverEndTheSessionOrReachJava() throws Exception {
        java.util.Random random = new java.util.Random(8);
        String[] heads = {"m", "M", "g", "G", "p", "P", "Z", "z", "H", "T", "q", "Q", "v", "X", "?", "qXfer:features:read:",
            "qSupported", "Z0,", "Z2,", "z4,", "P8=", "M1000", "vCont;", "!", ""};
        String alphabet = "0123456789abcdefABCDEFxyz,:;=-+}*$#\u0003 ";
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            for (int i = 0; i < 1500; i++) {
                StringBuilder b = new StringBuilder(heads[random.nextInt(heads.length)]);
                for (int n = random.nextInt(24); n > 0; n--) {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String p = b.toString().replaceAll("[$#}*\u0003]", "");
                if (p.startsWith("vC") || p.startsWith("vK") || p.startsWith("c") || p.startsWith("s")
                        || p.startsWith("C") || p.startsWith("S")) {
                    continue;  // runs, and the ends of a session, are tested on their own
                }
                gdb.ask(p);
            }
            byte[] noise = new byte[20_000];
            random.nextBytes(noise);
            gdb.raw(new String(noise, java.nio.charset.StandardCharsets.ISO_8859_1).replace('$', '.'));
            gdb.raw("#00");
            gdb.send("qC");
            String r;
            do {
                r = gdb.reply();  // replies to the noise's accidental packets, if any, come first
            } while (!r.equals("QC01"));
            assertEquals("OK", gdb.ask("Hg1"));
        }
        assertFalse(vm.isRunning());
        assertEquals(Outcome.COMPLETED, vm.step(1).outcome());
    }

    @Test
    void afterQStartNoAckModeNeitherSideAcknowledges() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.COUNTER)); RspClient gdb = connect(stub)) {
            assertEquals("OK", gdb.ask("QStartNoAckMode"));
            gdb.noAcks();
            assertEquals("QC01", gdb.ask("qC"));
            // (Counted from here: the ack of QStartNoAckMode itself may still be on its way.)
            String acks = gdb.acksSeen.toString();
            assertEquals("T05thread:01;", gdb.ask("?"));
            assertEquals("QC01", gdb.ask("qC"));
            assertEquals(acks, gdb.acksSeen.toString(), "no more acks");
            gdb.raw("$qC#00");  // a bad checksum without acks: an error reply
            assertEquals("E01", gdb.reply());
        }
    }

    @Test
    void detachRemovesGdbsBreakpointsAndKeepsTheVmsOwn() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        var own = vm.breakAt(GdbGuests.at(vm, "done"));
        try (Stub stub = new Stub(vm)) {
            Future<SessionEnd> session = stub.serve();
            try (RspClient gdb = new RspClient(stub.server.port())) {
                assertEquals("OK", gdb.ask(String.format("Z0,%x,1", GdbGuests.at(vm, "again"))));
                assertEquals(2, vm.breakpoints().list().size());
                assertEquals("OK", gdb.ask("D"));
                assertTrue(gdb.closedByStub());
            }
            assertEquals(SessionEnd.DETACHED, Stub.end(session));
            assertEquals(java.util.List.of(own), vm.breakpoints().list());
            assertTrue(stub.log().contains("gdb detached"), stub::log);
        }
    }

    @Test
    void aBreakpointOfTheVmsOwnStopsTheGuestAsAPlainSigtrapWithItsDescription() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        vm.breakAt(GdbGuests.at(vm, "done"));
        try (Stub stub = new Stub(vm); RspClient gdb = connect(stub)) {
            assertEquals("T05thread:01;", gdb.ask("c"));
            assertTrue(gdb.console.toString().contains("stopped by breakpoint 1"), gdb.console::toString);
            assertEquals("W07", gdb.ask("c"), "continuing runs the instruction at the breakpoint");
        }
    }

    @Test
    void killEndsTheSessionWithoutAReply_andLeavesTheVmAsItWas() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        try (Stub stub = new Stub(vm)) {
            Future<SessionEnd> session = stub.serve();
            try (RspClient gdb = new RspClient(stub.server.port())) {
                gdb.ask("s");
                gdb.send("k");
                assertTrue(gdb.closedByStub());
            }
            assertEquals(SessionEnd.KILLED, Stub.end(session));
            assertEquals(1, vm.time());
        }
    }

    @Test
    void theServerListensOnLoopbackByDefault_andTurnsASecondClientAway() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.COUNTER)); RspClient gdb = connect(stub)) {
            assertTrue(stub.server.address().getAddress().isLoopbackAddress());
            assertEquals("target remote 127.0.0.1:" + stub.server.port(), stub.server.attachCommand());
            try (RspClient second = new RspClient(stub.server.port())) {
                assertTrue(second.closedByStub());
            }
            assertEquals("QC01", gdb.ask("qC"), "the first session goes on");
            assertTrue(stub.log().contains("one gdb session at a time"), stub::log);
        }
    }

    @Test
    void closeFromAnotherThreadEndsASessionWhoseGuestIsRunning() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.SPIN);
        Stub stub = new Stub(vm);
        Future<SessionEnd> session = stub.serve();
        try (RspClient gdb = new RspClient(stub.server.port())) {
            gdb.send("c");
            Thread.sleep(200);
            stub.server.close();
            assertEquals(SessionEnd.CLOSED, Stub.end(session));
            assertFalse(vm.isRunning());
        } finally {
            stub.close();
        }
        assertEquals(Outcome.COMPLETED, vm.step(1).outcome());
    }

    @Test
    void aSecondServeOneSessionAtTheSameTimeIsRefused() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.COUNTER)); RspClient gdb = connect(stub)) {
            assertEquals("QC01", gdb.ask("qC"));  // the first is serving
            dev.vwb.workbench.WorkbenchException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.vwb.workbench.WorkbenchException.class, stub.server::serveOneSession);
            assertTrue(e.getMessage().contains("one at a time"), e.getMessage());
        }
    }

    @Test
    void aServerClosedBeforeAnyClientReturnsClosed() throws Exception {
        try (Stub stub = new Stub(GdbGuests.vm(GdbGuests.COUNTER))) {
            Future<SessionEnd> session = stub.serve();
            Thread.sleep(100);
            stub.server.close();
            assertEquals(SessionEnd.CLOSED, Stub.end(session));
        }
    }

    /** A client in a session served in the background (the session ends when the stub closes). */
    private static RspClient connect(Stub stub) throws Exception {
        stub.serve();
        return new RspClient(stub.server.port());
    }
}
