package dev.vwb.machine.loader;

import java.util.Arrays;

/**
 * A ROM image for the machine's BIOS window ({@code Machine.builder().bios(...)}), which maps it
 * just below 1 MiB and again just below 4 GiB, so the CPU's first fetch after reset, at
 * F000:FFF0 (physical FFFFFFF0h), reads the image's last 16 bytes.
 *
 * <p>The window takes 64 or 128 KiB, as QEMU's {@code -bios} does. A smaller file is placed at
 * the top of a 64 KiB window (so its last 16 bytes are still the reset vector) with the bytes
 * below it reading FFh, as erased ROM does; the padded image runs the same under QEMU.
 */
public final class RomImage {
    /** The largest ROM the window holds: 128 KiB, E0000h-FFFFFh. */
    public static final int MAX_SIZE = 0x20000;
    private static final int BANK = 0x10000;

    private RomImage() {
    }

    /** {@code file} as a 64 or 128 KiB image that ends where {@code file} ends. */
    public static byte[] fit(byte[] file) throws KernelFormatException {
        if (file.length == 0) {
            throw new KernelFormatException("the ROM image is empty; its last 16 bytes should hold the code at F000:FFF0");
        }
        if (file.length > MAX_SIZE) {
            throw new KernelFormatException(String.format("the ROM image is %,d bytes; the ROM window"
                    + " (E0000h-FFFFFh) holds at most 128 KiB", file.length));
        }
        int size = file.length <= BANK ? BANK : MAX_SIZE;
        byte[] image = new byte[size];
        Arrays.fill(image, 0, size - file.length, (byte) 0xFF);
        System.arraycopy(file, 0, image, size - file.length, file.length);
        return image;
    }
}
