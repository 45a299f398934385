"""Drives the vwb kernel through a real Jupyter client (jupyter_client), one check per argument.

Usage: python3 kernel_protocol.py CHECK...   (JUPYTER_PATH must hold kernels/vwb/kernel.json)
Prints one JSON object per check: {"check": NAME, ...what it saw}; exits 1 on a client error.
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel

TIMEOUT = 120


def execute(kc, code, timeout=TIMEOUT):
    """Runs code; returns the reply's status and the IOPub outputs of the request."""
    msg_id = kc.execute(code)
    outputs = []
    deadline = time.time() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind in ("stream", "execute_result", "display_data", "error"):
            outputs.append({"type": kind, "content": msg["content"]})
    return {"status": shell_reply(kc, msg_id, timeout)["content"]["status"], "outputs": outputs}


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    """The shell reply to msg_id (replies to earlier requests are passed over)."""
    deadline = time.time() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(1, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def check_execute(km, kc):
    return execute(kc, "%si 3\nvm.registers()")


def check_streams(km, kc):
    return execute(kc, 'System.out.println("to stdout"); System.err.println("to stderr"); display(vm.where());')


def check_magic(km, kc):
    return execute(kc, "%si 2\n%pt 0x100000\n%regs\n%exits")


def check_error(km, kc):
    return execute(kc, "int x = \"not an int\";")


def check_is_complete(km, kc):
    incomplete = shell_reply(kc, kc.is_complete("for (int i = 0; i < 3; i++) {"))["content"]
    complete = shell_reply(kc, kc.is_complete("vm.step(1)"))["content"]
    return {"incomplete": incomplete["status"], "complete": complete["status"]}


def check_complete(km, kc):
    reply = shell_reply(kc, kc.complete("vm.ste", 6))["content"]
    return {"matches": reply["matches"], "start": reply["cursor_start"], "end": reply["cursor_end"]}


def check_inspect(km, kc):
    reply = shell_reply(kc, kc.inspect("vm.step(", 8))["content"]
    return {"found": reply["found"], "text": reply.get("data", {}).get("text/plain", "")}


def check_interrupt(km, kc):
    # A guest that never halts: jmp $ (EB FE) at CS:EIP, and no budget to end the run.
    msg_id = kc.execute("vm.setBudget(Long.MAX_VALUE);\n"
                        "vm.virtual().write(vm.where().linear(), new byte[] {(byte) 0xEB, (byte) 0xFE});\n"
                        "vm.run()")
    time.sleep(3)
    km.interrupt_kernel()
    running = shell_reply(kc, msg_id, 60)["content"]["status"]
    after = execute(kc, "1 + 1")
    return {"interrupted": running, "after": after}


def main():
    km, kc = start_new_kernel(kernel_name="vwb", startup_timeout=TIMEOUT)
    try:
        for name in sys.argv[1:]:
            result = globals()["check_" + name](km, kc)
            result["check"] = name
            print(json.dumps(result), flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
