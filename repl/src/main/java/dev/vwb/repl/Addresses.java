package dev.vwb.repl;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.WorkbenchException;
import java.util.Locale;
import java.util.Optional;

/**
 * Addresses as the short commands take them, in the workbench's own notation: numbers are hex,
 * as every address the workbench prints ({@code 100524}, {@code 0x100524} or {@code 100524h}); a
 * symbol ({@code kmain}); a register ({@code esp}, {@code $esp}); {@code pc} for the linear
 * address of CS:EIP; and sums of these ({@code esp+8}, {@code kmain+1c}). A word is a symbol or a
 * register before it is a number ({@code add} is a symbol if there is one, else ADDh). gdb's
 * {@code *} before an address is allowed.
 */
final class Addresses {
    private Addresses() {
    }

    /** The linear address {@code text} names; a one-line {@link WorkbenchException} otherwise. */
    static long parse(Vm vm, String text) {
        String s = text.strip();
        if (s.startsWith("*")) {
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            throw new WorkbenchException("an address is missing");
        }
        long sum = 0;
        int sign = 1;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || (i > start && (s.charAt(i) == '+' || s.charAt(i) == '-'))) {
                sum += sign * term(vm, s.substring(start, i).strip(), text);
                if (i < s.length()) {
                    sign = s.charAt(i) == '+' ? 1 : -1;
                }
                start = i + 1;
            }
        }
        return sum & 0xFFFF_FFFFL;
    }

    private static long term(Vm vm, String t, String whole) {
        if (t.isEmpty()) {
            throw new WorkbenchException("'" + whole + "' is not an address");
        }
        if (Character.isDigit(t.charAt(0))) {
            return hex(t).orElseThrow(() -> new WorkbenchException("'" + t + "' is not a hex number (up to 8 digits)"));
        }
        String name = t.startsWith("$") ? t.substring(1) : t;
        Optional<Long> symbol = vm.symbols().find(name);
        if (symbol.isPresent()) {
            return symbol.get();
        }
        if (name.equalsIgnoreCase("pc")) {
            return vm.where().linear();
        }
        try {
            return vm.reg(name.toLowerCase(Locale.ROOT)) & 0xFFFF_FFFFL;
        } catch (WorkbenchException e) {
            return hex("0x" + name).orElseThrow(() -> new WorkbenchException("'" + t + "' is not a hex number, a symbol"
                    + " (vm.symbols() lists them), a register or pc"));
        }
    }

    /** {@code 1F}, {@code 0x1F} or {@code 1Fh}; empty when {@code t} is not a hex number. */
    static Optional<Long> hex(String t) {
        String digits = t;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        } else if ((digits.endsWith("h") || digits.endsWith("H")) && digits.length() > 1
                && Character.isDigit(digits.charAt(0))) {
            digits = digits.substring(0, digits.length() - 1);
        }
        digits = digits.replace("_", "");
        if (digits.isEmpty() || digits.length() > 8 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(digits, 16));
    }
}
