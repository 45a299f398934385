package dev.vwb.workbench.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void namesListTheThreeKernelsTeachingKernelFirst() {
        assertEquals(List.of("teachkernel", "popf", "sensitive"), KernelGuests.names());
    }

    @Test
    void anUnknownNameIsRefusedInOneLineNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelGuests.image("linux"));
        assertEquals("no guest kernel named 'linux'; the guest kernels are: teachkernel, popf, sensitive", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelGuests.source("teach"));
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
