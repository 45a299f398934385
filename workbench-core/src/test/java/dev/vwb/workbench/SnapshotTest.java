package dev.vwb.workbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {
    /** Writes a zip of {@code entries} (name to bytes) to {@code file}. */
    private static void zip(Path file, Map<String, byte[]> entries) throws Exception {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
            }
        }
    }

    /** All of the VM's RAM, read through the physical view. */
    static byte[] ram(Vm vm) {
        return vm.physical().read(0, vm.machine().memory().ramSize());
    }

    @Test
    void restoreBringsBackRegistersMemoryTimeAndOutput() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.step(1000);
        Snapshot s = vm.snapshot();
        Registers regs = vm.registers();
        byte[] memory = ram(vm);
        vm.step(5000);
        vm.setReg("ebx", 77);
        vm.restore(s);
        assertEquals(regs, Registers.capture(vm.machine().cpu(), null));
        assertArrayEquals(memory, ram(vm));
        assertEquals(1000, vm.time());
        vm.step(5000);  // and it goes on as it did the first time
        Vm fresh = Workbench.assemble(Guests.COUNTER);
        fresh.step(6000);
        assertEquals(fresh.registers(), vm.registers().comparedWith(null));
    }

    @Test
    void restoreUnderPagingBringsBackTheTranslations() {
        Vm vm = Workbench.fromAssembly(Guests.PAGING).protectedMode(0x100000).build();
        vm.run();
        vm.physical().write32(0x5000, 0xAABBCCDD);
        Snapshot s = vm.snapshot();
        vm.physical().write32(0x20100C, 0x6003);  // remap linear 3000h to 6000h by hand
        vm.restore(s);
        assertEquals(0xAABBCCDD, vm.virtual().read32(0x3000));
    }

    @Test
    void fileRoundTripKeepsTheStateAndTheMetadataIsJson(@TempDir Path dir) throws Exception {
        Vm vm = Workbench.assemble(Guests.HELLO);
        vm.step(3);
        Path file = dir.resolve("s.vwbsnap");
        Snapshot saved = vm.save(file);
        byte[] memory = ram(vm);
        vm.run();

        Vm other = Workbench.assemble(Guests.HELLO);
        Snapshot loaded = other.load(file);
        assertEquals(saved.time(), loaded.time());
        assertEquals(3, other.time());
        assertEquals(saved.registers(), other.registers().comparedWith(null));
        assertArrayEquals(memory, ram(other));
        assertEquals("H", other.console());
        other.run();
        assertEquals("Hi", other.console());
        try (var zip = new java.util.zip.ZipFile(file.toFile())) {
            String json = new String(zip.getInputStream(zip.getEntry("metadata.json")).readAllBytes());
            assertTrue(json.contains("\"kind\" : \"vwb-snapshot\"") && json.contains("\"EIP\""), json);
        }
    }

    @Test
    void corruptedFileIsRefusedAndTheVmIsUnchanged(@TempDir Path dir) throws Exception {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.step(100);
        Path file = dir.resolve("s.vwbsnap");
        vm.save(file);
        byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
            bytes[i] ^= 0x55;
        }
        Files.write(file, bytes);
        vm.step(10);
        Registers before = vm.registers();
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.load(file));
        assertTrue(e.getMessage().contains("not a usable vwb snapshot") && !e.getMessage().contains("\n"), e.getMessage());
        assertEquals(before, vm.registers());
        assertEquals(110, vm.time());

        Files.write(file, new byte[] {1, 2, 3});
        assertThrows(WorkbenchException.class, () -> vm.load(file));
    }

    @Test
    void fileFromAnotherVersionIsRefusedWithBothVersionsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("future.vwbsnap");
        zip(file, Map.of("metadata.json", "{\"kind\":\"vwb-snapshot\",\"version\":99,\"vwbVersion\":\"9.0\"}".getBytes(),
                "state.bin", new byte[16]));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Snapshot.load(file));
        assertTrue(e.getMessage().contains("version 99") && e.getMessage().contains("reads version 1"), e.getMessage());
    }

    @Test
    void snapshotOfAnotherRamSizeIsRefused() {
        Snapshot s = Workbench.assemble(Guests.HELLO).snapshot();
        Vm big = Workbench.fromAssembly(Guests.HELLO).ramMiB(32).build();
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> big.restore(s));
        assertTrue(e.getMessage().contains("16 MiB"), e.getMessage());
    }


    @Test
    void savingIntoAFolderThatDoesNotExistIsAOneLineError_andWritesNothing(@TempDir Path dir) {
        Vm vm = Workbench.assemble(Guests.HELLO);
        Path file = dir.resolve("missing").resolve("s.vwbsnap");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.save(file));
        assertEquals("cannot write the snapshot to " + file + ": its folder does not exist", e.getMessage());
        assertTrue(Files.notExists(file.getParent()));
    }

    @Test
    void aFailedSaveLeavesTheOldFileAndNoTemporaryOne(@TempDir Path dir) throws Exception {
        Vm vm = Workbench.assemble(Guests.HELLO);
        Path file = dir.resolve("s.vwbsnap");
        vm.save(file);
        byte[] old = Files.readAllBytes(file);
        Files.createDirectory(dir.resolve("s.vwbsnap.tmp"));  // the temporary file cannot be created
        Files.writeString(dir.resolve("s.vwbsnap.tmp").resolve("x"), "in the way");
        vm.step(2);
        assertThrows(WorkbenchException.class, () -> vm.save(file));
        assertArrayEquals(old, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "the old file and the obstacle, nothing else");
        }
    }

    @Test
    void aZipWithoutTheMachineStateIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("half.vwbsnap");
        zip(file, Map.of("metadata.json", "{\"kind\":\"vwb-snapshot\",\"version\":1}".getBytes()));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Snapshot.load(file));
        assertEquals(file + " is not a usable vwb snapshot: it is not a zip with metadata.json and state.bin", e.getMessage());
    }

    @Test
    void aMissingFileIsAOneLineError(@TempDir Path dir) {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Snapshot.load(dir.resolve("nope")));
        assertEquals("no snapshot file " + dir.resolve("nope"), e.getMessage());
    }
}
