package dev.vwb.machine.asm;

/**
 * One disassembled instruction.
 *
 * @param address the address of its first byte (as given to the disassembler)
 * @param bytes   its bytes, prefixes included (length 1 for an undefined byte)
 * @param text    Intel syntax as ndisasm prints it, e.g. {@code "mov ax,[bx+si+0x4]"};
 *                {@code "db 0x0f"} for a byte that starts no instruction the CPU executes
 * @param valid   false for a {@code db}/lone-prefix line
 */
public record Instruction(long address, byte[] bytes, String text, boolean valid) {
    public int length() {
        return bytes.length;
    }

    /** The bytes in upper-case hex without spaces, as ndisasm lists them. */
    public String hex() {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.format("%08X  %-16s  %s", address, hex(), text);
    }
}
