package dev.vwb.machine.asm;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a memory operand needs a size keyword: not when every row of the mnemonic takes the
 * same size there ({@code cmpxchg8b [bx]}, {@code lar ax,[bx]}), as NASM allows.
 */
final class Sizes {
    private static final ConcurrentHashMap<String, Boolean> CACHE = new ConcurrentHashMap<>();

    private Sizes() {
    }

    static boolean uniqueMemorySize(String mnemonic, int count, int position) {
        return CACHE.computeIfAbsent(mnemonic + "/" + count + "/" + position, key -> {
            Set<Integer> sizes = new HashSet<>();
            for (Form f : Forms.get().byMnemonic(mnemonic)) {
                if (f.operands().size() == count) {
                    Kind k = f.operands().get(position).kind();
                    if (k.isRm() && k != Kind.M) {
                        sizes.add(k.bits);
                    }
                }
            }
            return sizes.size() == 1 && !sizes.contains(0);
        });
    }
}
