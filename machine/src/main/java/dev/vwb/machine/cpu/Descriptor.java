package dev.vwb.machine.cpu;

/**
 * A raw 8-byte segment or gate descriptor, with the fields named as in SDM Vol. 3A §3.4.5
 * (segment descriptors) and §6.11 (gate descriptors).
 */
record Descriptor(int low, int high) {
    // System descriptor types (S = 0), SDM Vol. 3A Table 3-2.
    static final int TYPE_TSS16_AVAILABLE = 0x1;
    static final int TYPE_LDT = 0x2;
    static final int TYPE_TSS16_BUSY = 0x3;
    static final int TYPE_CALL_GATE_16 = 0x4;
    static final int TYPE_TASK_GATE = 0x5;
    static final int TYPE_INT_GATE_16 = 0x6;
    static final int TYPE_TRAP_GATE_16 = 0x7;
    static final int TYPE_TSS32_AVAILABLE = 0x9;
    static final int TYPE_TSS32_BUSY = 0xB;
    static final int TYPE_CALL_GATE_32 = 0xC;
    static final int TYPE_INT_GATE_32 = 0xE;
    static final int TYPE_TRAP_GATE_32 = 0xF;

    int base() {
        return (low >>> 16) | (high & 0xFF) << 16 | (high & 0xFF00_0000);
    }

    /** The limit in bytes, with 4 KiB granularity applied. */
    int limit() {
        int raw = (low & 0xFFFF) | (high & 0xF_0000);
        return (high & Segment.GRANULARITY) != 0 ? raw << 12 | 0xFFF : raw;
    }

    /** Access byte and flags as kept in a {@link Segment}'s attributes. */
    int attributes() {
        return high & 0x00F0_FF00;
    }

    int type() {
        return (high >>> 8) & 0xF;
    }

    boolean system() {
        return (high & Segment.S) == 0;
    }

    boolean code() {
        return !system() && (high & Segment.CODE) != 0;
    }

    boolean conforming() {
        return code() && (high & Segment.EXPAND_DOWN_OR_CONFORMING) != 0;
    }

    /** Readable for code, writable for data. */
    boolean readableOrWritable() {
        return (high & Segment.WRITABLE_OR_READABLE) != 0;
    }

    int dpl() {
        return (high >>> Segment.DPL_SHIFT) & 3;
    }

    boolean present() {
        return (high & Segment.PRESENT) != 0;
    }

    // Gate fields.
    int gateSelector() {
        return low >>> 16;
    }

    int gateOffset() {
        return (low & 0xFFFF) | (high & 0xFFFF_0000);
    }

    /** A call gate's parameter count: words or dwords copied to the inner stack (SDM Vol. 3A §5.8.3). */
    int gateParameterCount() {
        return high & 0x1F;
    }

    /** A TSS descriptor of either size, available or busy. */
    boolean tss() {
        return system() && (type() & 0x5) == 0x1;
    }
}
