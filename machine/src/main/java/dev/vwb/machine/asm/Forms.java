package dev.vwb.machine.asm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link InsnTable} parsed once: the rows by mnemonic for the assembler, and by opcode byte for
 * the disassembler, both in table order.
 */
final class Forms {
    private static final Forms INSTANCE = new Forms();

    private final List<Form> all = new ArrayList<>();
    private final Map<String, List<Form>> byMnemonic = new HashMap<>();
    /** Index 0-255: one-byte opcodes; 256-511: 0F xx. */
    @SuppressWarnings("unchecked")
    private final List<Form>[] byOpcode = new List[512];

    private Forms() {
        for (String line : InsnTable.ROWS.split("\n")) {
            if (!line.isBlank()) {
                expand(line.trim());
            }
        }
        for (Form f : all) {
            if (!f.has(Form.F_ASM)) {
                indexOpcode(f);
            }
            if (!f.has(Form.F_DIS)) {
                byMnemonic.computeIfAbsent(f.mnemonic(), k -> new ArrayList<>()).add(f);
            }
        }
    }

    static Forms get() {
        return INSTANCE;
    }

    /** The assembler's candidate rows for a mnemonic, or an empty list. */
    List<Form> byMnemonic(String mnemonic) {
        return byMnemonic.getOrDefault(mnemonic, Collections.emptyList());
    }

    boolean isMnemonic(String name) {
        return byMnemonic.containsKey(name);
    }

    java.util.Set<String> mnemonics() {
        return byMnemonic.keySet();
    }

    /** The disassembler's candidate rows for a first opcode byte (or 0x100 | second byte after 0F). */
    List<Form> byOpcode(int key) {
        List<Form> l = byOpcode[key];
        return l == null ? Collections.emptyList() : l;
    }

    private void indexOpcode(Form f) {
        byte[] op = f.opcode();
        int key = op[0] & 0xFF;
        if (key == 0x0F) {
            key = 0x100 | (op[1] & 0xFF);
        }
        int count = f.plusR() && (op.length == 1 || key >= 0x100 && op.length == 2) ? 8 : 1;
        for (int r = 0; r < count; r++) {
            int k = key + r;
            if (byOpcode[k] == null) {
                byOpcode[k] = new ArrayList<>();
            }
            byOpcode[k].add(f);
        }
    }

    /** Expands the %alu/%rot families and the cc rows, then parses each resulting row. */
    private void expand(String line) {
        String[] cols = line.split("\\|");
        String head = cols[0].trim();
        String enc = cols[1].trim();
        String flags = cols.length > 2 ? cols[2].trim() : "";
        String mnem = head.split("\\s+")[0];
        String ops = head.substring(mnem.length()).trim();
        if (mnem.equals("%alu") || mnem.equals("%rot")) {
            String[] names = mnem.equals("%alu") ? InsnTable.ALU : InsnTable.ROT;
            for (int i = 0; i < 8; i++) {
                if (names[i] == null) {
                    continue;
                }
                String e = enc.contains("/0") ? enc.replace("/0", "/" + i) : addToFirstOpcode(enc, 8 * i);
                add(names[i], ops, e, flags);
                if (names[i].equals("shl")) {
                    add("sal", ops, e, flags + " asm");
                }
            }
        } else if (mnem.endsWith("cc")) {
            String stem = mnem.substring(0, mnem.length() - 2);
            for (int cc = 0; cc < 16; cc++) {
                String base = enc.replaceAll(".*?([0-9A-F]{2})\\+cc.*", "$1");
                String code = String.format("%02X", Integer.parseInt(base, 16) + cc);
                String full = enc.replace(base + "+cc", code);
                add(stem + InsnTable.CC[cc], ops, full, flags);
            }
            for (String[] alias : InsnTable.CC_ALIASES) {
                String base = enc.replaceAll(".*?([0-9A-F]{2})\\+cc.*", "$1");
                String code = String.format("%02X", Integer.parseInt(base, 16) + Integer.parseInt(alias[1]));
                add(stem + alias[0], ops, enc.replace(base + "+cc", code), flags + " asm");
            }
        } else {
            add(mnem, ops, enc, flags);
        }
    }

    private static String addToFirstOpcode(String enc, int delta) {
        StringBuilder out = new StringBuilder();
        boolean done = false;
        for (String t : enc.split("\\s+")) {
            if (!done && t.matches("[0-9A-F]{2}")) {
                t = String.format("%02X", Integer.parseInt(t, 16) + delta);
                done = true;
            }
            out.append(out.length() == 0 ? "" : " ").append(t);
        }
        return out.toString();
    }

    private void add(String mnem, String ops, String enc, String flagText) {
        List<Form.Spec> specs = new ArrayList<>();
        if (!ops.isEmpty()) {
            for (String o : ops.split(",")) {
                String[] w = o.trim().split("\\s+");
                specs.add(w.length == 2 ? new Form.Spec(Kind.parse(w[1]), w[0]) : new Form.Spec(Kind.parse(w[0]), null));
            }
        }
        int osize = 0;
        int asize = 0;
        int modrm = Form.NO_MODRM;
        boolean plusR = false;
        List<Byte> bytes = new ArrayList<>();
        for (String t : enc.split("\\s+")) {
            switch (t) {
                case "o" -> osize = Form.VARIABLE;
                case "o16" -> osize = 16;
                case "o32" -> osize = 32;
                case "a16" -> asize = 16;
                case "a32" -> asize = 32;
                case "/r" -> modrm = Form.REG_MODRM;
                default -> {
                    if (t.startsWith("/")) {
                        modrm = Integer.parseInt(t.substring(1));
                    } else if (t.endsWith("+r")) {
                        plusR = true;
                        bytes.add((byte) Integer.parseInt(t.substring(0, 2), 16));
                    } else {
                        bytes.add((byte) Integer.parseInt(t, 16));
                    }
                }
            }
        }
        byte[] opcode = new byte[bytes.size()];
        for (int i = 0; i < opcode.length; i++) {
            opcode[i] = bytes.get(i);
        }
        int flags = 0;
        for (String f : flagText.split("\\s+")) {
            flags |= switch (f) {
                case "" -> 0;
                case "asm" -> Form.F_ASM;
                case "dis" -> Form.F_DIS;
                case "-66" -> Form.F_NO66;
                case "-67" -> Form.F_NO67;
                case "size" -> Form.F_SIZE;
                case "nosize" -> Form.F_NOSIZE;
                case "str" -> Form.F_STR;
                case "osz" -> Form.F_OSZ;
                case "twice" -> Form.F_TWICE;
                default -> throw new IllegalStateException("InsnTable: unknown flag " + f);
            };
        }
        all.add(new Form(mnem.toLowerCase(Locale.ROOT), List.copyOf(specs), osize, asize, opcode, modrm, plusR, flags));
    }
}
