package dev.vwb.machine.difftest;

import java.util.List;

/**
 * Final machine state of one {@link DiffCase} as reported by an {@link Engine}.
 *
 * @param caseId              the case's id
 * @param gprs                EAX ECX EDX EBX ESP EBP ESI EDI
 * @param eip                 final EIP. When execution ended on an exception or interrupt: the address
 *                            AFTER the instruction for traps (INT n, INT3, INTO) and the address OF the
 *                            instruction for faults (#DE, #BR, #UD, ...) — i.e. the EIP the CPU would
 *                            push — with all other state as it was at that instruction boundary
 * @param eflags              final EFLAGS
 * @param selectors           ES CS SS DS FS GS
 * @param memory              the case's memory blocks read back (same addresses and lengths)
 * @param exceptionVector     vector of the exception / software interrupt that ended execution, or
 *                            null when execution reached endEip
 * @param errorCode           error code pushed by the exception that ended execution, or null when it
 *                            has none or the engine does not know it (compared for vectors 8, 10-14, 17)
 * @param cr2                 CR2 at the end (PM32 cases; 0 elsewhere)
 * @param instructionsRetired instructions executed, or null when the engine does not know
 * @param engineError         null normally; a message when the engine itself failed (e.g. Unicorn
 *                            touched unmapped memory or hit the instruction limit) — never equal
 */
record DiffResult(long caseId, int[] gprs, int eip, int eflags, int[] selectors, List<DiffCase.MemBlock> memory,
                  Integer exceptionVector, Integer errorCode, int cr2, Integer instructionsRetired,
                  String engineError) {

    static DiffResult failed(long caseId, String engineError) {
        return new DiffResult(caseId, new int[8], 0, 0, new int[6], List.of(), null, null, 0, null, engineError);
    }
}
