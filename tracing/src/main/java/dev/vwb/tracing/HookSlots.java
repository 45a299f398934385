package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.ExceptionEvent;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.ExecutionHook;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Shares the CPU's two single-slot hooks (the execution hook and the exception interceptor)
 * between a tracer, a breakpoint set and whoever held the slot before (the CLI's statistics, a
 * hypervisor). Each client gets a handle; when the last one closes the slot goes back to its
 * previous holder, so nothing of ours stays installed.
 */
final class HookSlots {
    private static final Map<Cpu, HookSlots> SLOTS = new WeakHashMap<>();

    private final Cpu cpu;
    private final List<ExecutionHook> hooks = new ArrayList<>();
    private ExecutionHook previousHook;
    private final List<ExceptionInterceptor> interceptors = new ArrayList<>();
    private ExceptionInterceptor previousInterceptor;

    private HookSlots(Cpu cpu) {
        this.cpu = cpu;
    }

    static synchronized HookSlots of(Cpu cpu) {
        return SLOTS.computeIfAbsent(cpu, HookSlots::new);
    }

    /**
     * With no client left, drops this entry: its value refers to the CPU, so a weak key alone
     * would never let a dropped machine be collected.
     */
    private void forgetIfUnused() {
        if (hooks.isEmpty() && interceptors.isEmpty()) {
            synchronized (HookSlots.class) {
                SLOTS.remove(cpu, this);
            }
        }
    }

    /** Installs {@code hook} beside the others: the CPU stops if any of them says stop. */
    AutoCloseable addExecutionHook(ExecutionHook hook) {
        if (hooks.isEmpty()) {
            previousHook = cpu.executionHook();
        }
        hooks.add(hook);
        installHooks();
        return () -> {
            if (hooks.remove(hook)) {
                if (hooks.isEmpty()) {
                    cpu.setExecutionHook(previousHook);
                    previousHook = null;
                    forgetIfUnused();
                } else {
                    installHooks();
                }
            }
        };
    }

    private void installHooks() {
        List<ExecutionHook> all = new ArrayList<>(hooks);
        if (previousHook != null) {
            all.add(previousHook);
        }
        ExecutionHook[] a = all.toArray(new ExecutionHook[0]);
        if (a.length == 1) {
            cpu.setExecutionHook(a[0]);  // the common case goes straight to its client
            return;
        }
        cpu.setExecutionHook((c, eip) -> {
            boolean stop = false;
            for (ExecutionHook h : a) {
                stop |= h.stopBefore(c, eip);  // every client sees every instruction
            }
            return stop;
        });
    }

    /**
     * Installs {@code interceptor} beside the others: each sees every event; the first decision
     * other than DELIVER wins, and the previous holder of the slot decides last.
     */
    AutoCloseable addInterceptor(ExceptionInterceptor interceptor) {
        if (interceptors.isEmpty()) {
            previousInterceptor = cpu.exceptionInterceptor();
        }
        interceptors.add(interceptor);
        installInterceptors();
        return () -> {
            if (interceptors.remove(interceptor)) {
                if (interceptors.isEmpty()) {
                    cpu.setExceptionInterceptor(previousInterceptor);
                    previousInterceptor = null;
                    forgetIfUnused();
                } else {
                    installInterceptors();
                }
            }
        };
    }

    private void installInterceptors() {
        List<ExceptionInterceptor> all = new ArrayList<>(interceptors);
        if (previousInterceptor != null) {
            all.add(previousInterceptor);
        }
        ExceptionInterceptor[] a = all.toArray(new ExceptionInterceptor[0]);
        cpu.setExceptionInterceptor(new ExceptionInterceptor() {
            @Override
            public Decision onException(Cpu c, ExceptionEvent event) {
                Decision decision = Decision.DELIVER;
                for (ExceptionInterceptor i : a) {
                    Decision d = i.onException(c, event);
                    if (decision == Decision.DELIVER) {
                        decision = d;
                    }
                }
                return decision;
            }

            @Override
            public void delivered(Cpu c, ExceptionEvent event) {
                for (ExceptionInterceptor i : a) {
                    i.delivered(c, event);  // a hypervisor fixes its frame here
                }
            }
        });
    }
}
