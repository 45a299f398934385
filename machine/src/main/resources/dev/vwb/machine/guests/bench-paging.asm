; bench-paging.asm — the bench guest with paging on (4 KiB pages): the same
; loop and checksum as bench.asm, which this file assembles with PAGING set.
;
; Build:  nasm -f bin -o bench-paging.bin bench-paging.asm   (bench.asm beside it)
; Run:    ./vwb bench   (reports it as "vwb-paging", and paging/flat)

%define PAGING
%include "bench.asm"
