#!/usr/bin/python3
"""Long-lived Unicorn worker for vwb's differential CPU tests.

Protocol (text, UTF-8, one JSON object per line):

  startup   runner -> {"ready": true, "unicorn": "<version>"}
  case      java   -> {"id": 7, "m": 16|32, "r": [eax,ecx,edx,ebx,esp,ebp,esi,edi],
                       "f": eflags, "s": [es,cs,ss,ds,fs,gs], "ip": startEip, "c": "<code hex>",
                       "b": [[linear, "<hex>"], ...], "e": endEip, "n": maxInstructions, "p": 0|1}
  end batch java   -> "."
  results   runner -> one line per case, in order, then "." (flushed once per batch):
                      {"id": 7, "r": [...], "ip": eip, "f": eflags, "s": [...], "b": ["<hex>", ...],
                       "x": vector-or-null, "ec": error-code-or-null, "cr2": cr2, "err": message-or-null}

"p": 1 marks a PM32 case (DiffCase.Mode.PM32): 32-bit, but the case's own code builds a GDT, may turn
paging on and drop to CPL 3. Such cases run on a Uc of their own, so that descriptor tables, paging
and TLB state never meet the FLAT32 cases. "ec" is the error code of the exception that ended the case
(null when none or not known), "cr2" is CR2 at the end.

The runner buffers a whole batch's results and writes them only after reading the "." line, so the
Java side may write a batch completely before it starts reading: no pipe deadlock.

Options: --strict  also report writes that landed in mapped memory outside the case's blocks
                   (a generator bug: such writes would escape the comparison).

NOTES: Unicorn 2.0.1 behaviour the harness relies on (probed; see UNICORN-DIFFERENCES.md)
  * Translation cache: uc.mem_write() does NOT invalidate already translated code. Re-running
    new code at an old address executes the OLD code. We call uc.ctl_remove_cache() over the
    code pages for every case.
  * UC_MODE_16: emu_start(begin, until) takes LINEAR addresses: Unicorn sets IP = begin - CS*16,
    and stops when CS.base + EIP == until. We pass cs*16 + eip for both. Segment registers
    written with reg_write in UC_MODE_16 get base = selector*16 and limit 0xFFFF (CR0.PE = 0).
  * UC_MODE_32: starts with CR0 = 0x11 (PE=1, ET=1), CPL 0, all selectors 0 and flat 32-bit
    segments (base 0, limit 4 GiB, 32-bit code and stack). POPF at CPL 0 may change IF and IOPL.
    Selectors must not be written in this mode (Unicorn would check them against an empty GDT).
  * EFLAGS: reads as 0x2 after reset; reg_write(EFLAGS, v) stores v verbatim (reserved bits and TF
    included) except that bit 1 is forced to 1. We only ever pass architecturally sane values.
  * Interrupts: with a UC_HOOK_INTR hook installed, INT n / INT3 / INTO and CPU faults (#DE, #BR,
    #GP...) call the hook instead of being delivered (nothing is pushed, no IVT/IDT is read).
    EIP read inside the hook is AFTER the instruction for INT n / INT3 / INTO (traps) and AT the
    faulting instruction for faults (#DE from DIV/IDIV/AAM 0, #BR from BOUND). We read EIP in the
    hook and stop with uc.emu_stop(). The vector number alone cannot tell INT 0 from #DE.
  * #UD is not reported through the hook: emu_start raises UC_ERR_INSN_INVALID with EIP at the
    offending instruction and earlier instructions retired. We report it as vector 6.
  * Exception in flight: QEMU remembers the last contributory exception (env->old_exception) and
    only forgets it when an exception is actually delivered, which never happens with the hook. So on
    a reused Uc the SECOND #DE of a run of cases is reported as #DF (vector 8), and after that every
    exception becomes a silent "triple fault": emu_start returns at the faulting instruction with no
    hook call and no error. We restore a context saved right after creating the Uc before every case
    (uc.context_restore), which resets that state.
  * The `count` argument of emu_start counts every REP iteration as one instruction.
  * Exceptions are NEVER delivered through the IDT: with no UC_HOOK_INTR hook, emu_start fails with
    UC_ERR_EXCEPTION at the faulting instruction (nothing pushed). So PM32 cases are stopped by the
    hook too, like the others, and the error code is read from the CPU state instead.
  * The error code of an exception is not a register. QEMU keeps it in CPUX86State.error_code, which
    uc.context_save() copies with the rest of the state; its offset in those bytes is found at
    startup (ErrorCodeProbe: two #GP with known selectors) rather than hard-coded.
  * Paging (UC_MODE_32 with CR0.PG): the walk is done - #PF, CR2, error codes, accessed/dirty bits -
    but the physical address is then forced to the linear one (Unicorn's identity-map patch in
    target/i386/excp_helper.c, fixed in 2.1.0; unicorn issue #1953). Only identity mappings compare.
  * QEMU flushes its TLB on a CR0.PG/WP/PE change and on a CR3 write with paging on, but
    context_restore does not flush it: a PM32 case starts by flushing it (CR0 written with PG set
    and cleared through reg_write, which goes through cpu_x86_update_cr0).
  * Speed: the binding's reg_read/reg_write cost ~7 us per register, so registers go through one
    uc_reg_{read,write}_batch call each way (ctypes), and every mapped page is written with a single
    mem_write. About 4,000-6,000 cases/s on one core.

Memory: only the pages that the code and the blocks touch are mapped (lazily, per mode); all of them
are rewritten for every case (zeros plus the blocks), so memory outside the blocks is zero. An access
to any other address is an "unmapped" error, which means a generator bug.
"""

import ctypes
import json
import sys

from unicorn import unicorn as _binding
from unicorn import Uc, UcError, UC_ARCH_X86, UC_MODE_16, UC_MODE_32, UC_HOOK_INTR, \
    UC_ERR_INSN_INVALID, __version__ as UNICORN_VERSION
from unicorn.x86_const import (UC_X86_REG_CR0, UC_X86_REG_CR2, UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
                               UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI,
                               UC_X86_REG_EIP, UC_X86_REG_EFLAGS, UC_X86_REG_ES, UC_X86_REG_CS,
                               UC_X86_REG_SS, UC_X86_REG_DS, UC_X86_REG_FS, UC_X86_REG_GS)

PAGE = 0x1000
ZERO_PAGE = bytes(PAGE)
GPRS = (UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
        UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI)
SREGS = (UC_X86_REG_ES, UC_X86_REG_CS, UC_X86_REG_SS, UC_X86_REG_DS, UC_X86_REG_FS, UC_X86_REG_GS)
VECTOR_UD = 6
CR0_PE_ET = 0x11
CR0_PG = 0x80000000


def find_error_code_offset():
    """Offset of CPUX86State.error_code in uc.context_save() bytes (see NOTES), or None.

    Runs MOV DS, AX with two selectors beyond a 3-entry GDT's limit: each raises #GP(selector), so the
    error code is the one 32-bit field (other than EAX) holding the selector both times.
    """
    uc = Uc(UC_ARCH_X86, UC_MODE_32)
    uc.mem_map(0, 0x4000)
    gdt = bytes(8) + bytes.fromhex("ffff0000009acf00ffff00000092cf00")
    uc.mem_write(0x2000, gdt)
    uc.mem_write(0x3000, (0x17).to_bytes(2, "little") + (0x2000).to_bytes(4, "little"))
    uc.mem_write(0x1000, bytes.fromhex("0f0115003000008ed8"))  # lgdt [0x3000]; mov ds, ax
    pristine = uc.context_save()
    seen = []
    uc.hook_add(UC_HOOK_INTR, lambda u, intno, _: (seen.append((intno, bytes(u.context_save()))), u.emu_stop()))
    images = []
    eax_offsets = None
    for selector in (0x5AF8, 0x3A50):
        uc.context_restore(pristine)
        uc.reg_write(UC_X86_REG_EAX, selector)
        seen.clear()
        uc.emu_start(0x1000, 0x1009, count=10)
        if not seen or seen[0][0] != 13:
            return None
        image = seen[0][1]
        images.append((selector, image))
    offsets = [off for off in range(0, len(images[0][1]) - 3, 4)
               if all(int.from_bytes(img[off:off + 4], "little") == sel for sel, img in images)]
    # EAX holds the selector too: it is the first match (registers come first in CPUX86State).
    return offsets[-1] if len(offsets) >= 2 else None


class RegisterBatch:
    """Reads/writes a fixed list of registers with one uc_reg_{read,write}_batch call each.

    The Python binding's reg_read/reg_write cost ~7 us per register, which dominated the runtime.
    Values are held in uint64 slots; x86 registers read/write 2 or 4 bytes of them (little endian).
    Falls back to per-register calls when the library lacks the batch functions.
    """

    def __init__(self, uc, regs):
        self.uc = uc
        self.regs = list(regs)
        n = len(self.regs)
        self.n = n
        self.ids = (ctypes.c_int * n)(*self.regs)
        self.values = (ctypes.c_uint64 * n)()
        base = ctypes.addressof(self.values)
        self.ptrs = (ctypes.c_void_p * n)(*[base + 8 * i for i in range(n)])
        lib = _binding._uc
        self.batch = hasattr(lib, "uc_reg_write_batch") and hasattr(lib, "uc_reg_read_batch")
        if self.batch:
            self.write_fn = lib.uc_reg_write_batch
            self.read_fn = lib.uc_reg_read_batch
            for fn in (self.write_fn, self.read_fn):
                fn.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_void_p), ctypes.c_int]
                fn.restype = ctypes.c_int

    def write(self, values):
        if not self.batch:
            for reg, value in zip(self.regs, values):
                self.uc.reg_write(reg, value)
            return
        self.values[:] = values
        err = self.write_fn(self.uc._uch, self.ids, self.ptrs, self.n)
        if err:
            raise UcError(err)

    def read(self):
        if not self.batch:
            return [self.uc.reg_read(reg) for reg in self.regs]
        ctypes.memset(self.values, 0, 8 * self.n)
        err = self.read_fn(self.uc._uch, self.ids, self.ptrs, self.n)
        if err:
            raise UcError(err)
        return list(self.values)


class Machine:
    """One Uc instance per mode, reused for every case of that mode."""

    def __init__(self, bits, strict, pm=False, error_code_offset=None):
        self.real = bits == 16
        self.pm = pm
        self.error_code_offset = error_code_offset
        self.error_code = None
        self.uc = Uc(UC_ARCH_X86, UC_MODE_16 if self.real else UC_MODE_32)
        self.mapped = set()       # page addresses mapped so far
        self.strict = strict
        self.vector = None
        self.vector_eip = None
        self.uc.hook_add(UC_HOOK_INTR, self._on_interrupt)
        # Pristine CPU state, restored before every case: see NOTES on "exception in flight".
        self.pristine = self.uc.context_save()
        # Real mode: segment registers are loaded (base = selector*16) before EIP and the rest.
        self.setup = RegisterBatch(self.uc, (SREGS if self.real else ()) + GPRS + (UC_X86_REG_EFLAGS, UC_X86_REG_EIP))
        self.final = RegisterBatch(self.uc, GPRS + (UC_X86_REG_EFLAGS, UC_X86_REG_EIP) + SREGS)

    def _on_interrupt(self, uc, intno, _user_data):
        # Faults and software interrupts end the case; EIP must be read here (see NOTES).
        if self.vector is None:
            self.vector = intno
            self.vector_eip = uc.reg_read(UC_X86_REG_EIP)
            if self.pm and self.error_code_offset is not None:
                state = bytes(uc.context_save())
                self.error_code = int.from_bytes(state[self.error_code_offset:self.error_code_offset + 4], "little")
        uc.emu_stop()

    def _pages(self, start, length):
        return range(start & ~(PAGE - 1), (start + max(length, 1) + PAGE - 1) & ~(PAGE - 1), PAGE)

    def _prepare_memory(self, code_linear, code, blocks):
        uc = self.uc
        for start, data in [(code_linear, code)] + blocks:
            for page in self._pages(start, len(data)):
                if page not in self.mapped:
                    uc.mem_map(page, PAGE)
                    self.mapped.add(page)
        # Memory outside the blocks is zero at the start of every case: write every mapped page
        # whole (one call per page), with the blocks and the code spliced into zeros.
        images = {}
        for start, data in blocks + [(code_linear, code)]:
            offset = 0
            while offset < len(data):
                page = (start + offset) & ~(PAGE - 1)
                image = images.get(page)
                if image is None:
                    image = images[page] = bytearray(PAGE)
                at = start + offset - page
                chunk = min(len(data) - offset, PAGE - at)
                image[at:at + chunk] = data[offset:offset + chunk]
                offset += chunk
        for page in self.mapped:
            uc.mem_write(page, bytes(images.get(page, ZERO_PAGE)))
        # mem_write does not invalidate translated blocks: drop them for the code pages.
        pages = self._pages(code_linear, len(code))
        uc.ctl_remove_cache(pages[0], pages[-1] + PAGE)

    def _stray_write(self, code_linear, code, blocks):
        """First mapped address outside code and blocks that is no longer zero, or None."""
        covered = [(code_linear, len(code))] + [(s, len(d)) for s, d in blocks]
        for page in sorted(self.mapped):
            buf = bytearray(self.uc.mem_read(page, PAGE))
            for start, length in covered:
                lo, hi = max(start, page), min(start + length, page + PAGE)
                if lo < hi:
                    buf[lo - page:hi - page] = bytes(hi - lo)
            if buf != ZERO_PAGE:
                offset = next(i for i, byte in enumerate(buf) if byte)
                return page + offset
        return None

    def run(self, case):
        uc = self.uc
        code = bytes.fromhex(case["c"])
        blocks = [(start, bytes.fromhex(data)) for start, data in case["b"]]
        sregs = case["s"]
        cs_base = (sregs[1] << 4) if self.real else 0
        start, end = case["ip"], case["e"]
        uc.context_restore(self.pristine)
        if self.pm:
            # Drop TLB entries of the previous case (see NOTES): a CR0.PG change flushes QEMU's TLB.
            # This comes before _prepare_memory: ctl_remove_cache translates the code addresses with
            # the CPU's current paging state, which after a PM32 case may not map the code page at all
            # (then nothing is invalidated and the previous case's code runs again).
            uc.reg_write(UC_X86_REG_CR0, CR0_PE_ET | CR0_PG)
            uc.reg_write(UC_X86_REG_CR0, CR0_PE_ET)
        self._prepare_memory(cs_base + start, code, blocks)

        self.setup.write((sregs if self.real else []) + case["r"] + [case["f"], start])

        self.vector = None
        self.vector_eip = None
        self.error_code = None
        error = None
        try:
            # UC_MODE_16 takes linear begin/until (cs_base is 0 in 32-bit mode).
            uc.emu_start(cs_base + start, cs_base + end, count=case["n"])
        except UcError as e:
            if e.errno == UC_ERR_INSN_INVALID and self.vector is None:
                self.vector = VECTOR_UD
                self.vector_eip = uc.reg_read(UC_X86_REG_EIP)
            else:
                error = "%s at eip=%#x" % (e, uc.reg_read(UC_X86_REG_EIP))

        final = self.final.read()
        gprs, eflags, eip, selectors = final[0:8], final[8], final[9], final[10:16]
        if self.vector is not None:
            eip = self.vector_eip
        if error is None and self.vector is None:
            final_linear = ((selectors[1] << 4) if self.real else 0) + eip
            if final_linear != cs_base + end:
                error = "stopped at eip=%#x before reaching the end (instruction limit %d?)" % (eip, case["n"])
        if error is None and self.strict:
            stray = self._stray_write(cs_base + start, code, blocks)
            if stray is not None:
                error = "write outside the case's memory blocks at %#x" % stray
        cr2 = uc.reg_read(UC_X86_REG_CR2) if self.pm else 0
        # Formatted by hand: json.dumps was a noticeable share of the runtime.
        return '{"id":%d,"r":[%s],"ip":%d,"f":%d,"s":[%s],"b":[%s],"x":%s,"ec":%s,"cr2":%d,"err":%s}' % (
            case["id"], ",".join(map(str, gprs)), eip, eflags, ",".join(map(str, selectors)),
            ",".join('"%s"' % uc.mem_read(s, len(d)).hex() for s, d in blocks),
            "null" if self.vector is None else self.vector,
            "null" if self.error_code is None else self.error_code, cr2,
            "null" if error is None else json.dumps(error))


def main():
    strict = "--strict" in sys.argv[1:]
    machines = {16: Machine(16, strict), 32: Machine(32, strict),
                "pm": Machine(32, strict, pm=True, error_code_offset=find_error_code_offset())}
    out = sys.stdout
    out.write(json.dumps({"ready": True, "unicorn": UNICORN_VERSION}) + "\n")
    out.flush()
    results = []
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        if line == ".":
            results.append(".")
            out.write("\n".join(results) + "\n")
            out.flush()
            results = []
            continue
        case = json.loads(line)
        try:
            results.append(machines["pm" if case.get("p") else case["m"]].run(case))
        except Exception as e:  # keep serving the batch; report the failure on this case
            results.append(json.dumps({"id": case.get("id"), "err": "runner exception: %r" % (e,)}))


if __name__ == "__main__":
    main()
