package dev.vwb.workbench.guests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The catalogue: names, sources, images and the messages for a name that is not there. */
class KernelGuestsTest {
    static List<String> guests() {
        return KernelGuests.names();
    }

    @Test
    void namesListTheKernelsTeachingKernelFirst_andTheAttacksLast() {
        assertEquals(List.of("teachkernel", "teachkernel-pv", "popf", "sensitive", "compute", "exits",
                "attack-outside", "attack-window", "attack-stale", "attack-ports", "attack-flat", "attack-spin", "attack-triple"),
                KernelGuests.names());
    }

    @Test
    void anUnknownNameIsRefusedInOneLineNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelGuests.image("linux"));
        assertEquals("no guest kernel named 'linux'; the guest kernels are: teachkernel, teachkernel-pv, popf, sensitive,"
                + " compute, exits, attack-outside, attack-window, attack-stale, attack-ports, attack-flat, attack-spin,"
                + " attack-triple", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelGuests.source("teach"));
        assertThrows(IllegalArgumentException.class, () -> KernelGuests.bareMetal("teach"));
        assertThrows(IllegalArgumentException.class, () -> KernelGuests.attack("attack-"));
    }

    @Test
    void onlyTheParavirtualKernelCannotRunOnBareMetal() {
        assertEquals(List.of("teachkernel", "popf", "sensitive", "compute", "exits",
                "attack-outside", "attack-window", "attack-stale", "attack-ports", "attack-flat", "attack-spin", "attack-triple"),
                KernelGuests.names().stream().filter(KernelGuests::bareMetal).toList());
    }

    @Test
    void theAttacksAreTheGuestsOfLessonEight_eachSayingWhyItFails() {
        List<String> attacks = KernelGuests.names().stream().filter(KernelGuests::attack).toList();
        assertEquals(7, attacks.size(), attacks.toString());
        for (String name : attacks) {
            String source = KernelGuests.source(name);
            assertTrue(source.contains("; THE ATTACK.") && source.contains("; WHY IT FAILS"), name);
            long lines = source.lines().count();  // a lesson in miniature: its header, the attack, its own routines (COM1's are in lib/)
            assertTrue(lines >= 40 && lines <= 210, () -> name + " has " + lines + " lines");
        }
    }

    /** The documented offsets are where the labels are: a moved label would patch the wrong dword. */
    @Test
    void theBenchmarksCountsAreAtTheirLabels() {
        assertEquals(0x100000L + KernelGuests.COMPUTE_ITERATIONS_OFFSET, symbol("compute", "iterations"));
        assertEquals(0x100000L + KernelGuests.EXITS_PAIRS_OFFSET, symbol("exits", "cli_sti_pairs"));
        assertEquals(0x100000L + KernelGuests.EXITS_WRITES_OFFSET, symbol("exits", "port_writes"));
    }

    @Test
    void computeImageAndExitsImagePatchTheirCountsLittleEndian_andNothingElse() {
        byte[] plain = KernelGuests.image("compute");
        byte[] patched = KernelGuests.computeImage(0x12345678L);
        assertEquals(0x12345678, dword(patched, KernelGuests.COMPUTE_ITERATIONS_OFFSET));
        assertEquals(100, dword(plain, KernelGuests.COMPUTE_ITERATIONS_OFFSET), "the default");
        System.arraycopy(patched, KernelGuests.COMPUTE_ITERATIONS_OFFSET, plain, KernelGuests.COMPUTE_ITERATIONS_OFFSET, 4);
        assertArrayEquals(plain, patched, "only the count differs");

        byte[] exits = KernelGuests.exitsImage(0xFFFF_FFFFL, 7);
        assertEquals(-1, dword(exits, KernelGuests.EXITS_PAIRS_OFFSET));
        assertEquals(7, dword(exits, KernelGuests.EXITS_WRITES_OFFSET));
        assertEquals(1000, dword(KernelGuests.image("exits"), KernelGuests.EXITS_PAIRS_OFFSET), "the default");
    }

    @Test
    void countsOutsideTheGuestsDwordAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelGuests.computeImage(-1));
        assertEquals("the iteration count must be between 0 and 4294967295, not -1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelGuests.exitsImage(0, 1L << 32));
    }

    private static long symbol(String guest, String label) {
        Long value = KernelGuests.symbols(guest).get(label);
        assertNotNull(value, () -> guest + ".asm has no label " + label);
        return value;
    }

    private static int dword(byte[] image, int offset) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
    }

    @ParameterizedTest
    @MethodSource("guests")
    void eachImageIsAFlatMultibootKernelLoadedAtOneMiB_withTheAoutKludge(String name) {
        ByteBuffer image = ByteBuffer.wrap(KernelGuests.image(name)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x1BADB002, image.getInt(0), "magic");
        int flags = image.getInt(4);
        assertEquals(1 << 16, flags, "flags: only the address fields");
        assertEquals(0, image.getInt(0) + flags + image.getInt(8), "checksum");
        assertEquals(0x100000, image.getInt(12), "header_addr");
        assertEquals(0x100000, image.getInt(16), "load_addr");
        int entry = image.getInt(28);
        assertTrue(entry > 0x100000 && entry < 0x100000 + image.capacity(), () -> "entry_addr " + Integer.toHexString(entry));
    }

    @ParameterizedTest
    @MethodSource("guests")
    void eachSourceSaysWhatItIsAndImagesAreFreshCopies(String name) {
        assertTrue(KernelGuests.source(name).startsWith("; " + name + ".asm - "), name);
        byte[] first = KernelGuests.image(name);
        first[0] = 0;
        assertNotSame(first, KernelGuests.image(name));
        assertEquals(0x02, KernelGuests.image(name)[0], "a caller's patch must not reach the next caller");
    }
}
