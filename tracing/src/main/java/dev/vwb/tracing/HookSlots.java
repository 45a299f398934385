package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.ExceptionEvent;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.ExecutionHook;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Shares the CPU's two single-slot hooks (the execution hook and the exception interceptor)
 * between a tracer, a breakpoint set and whoever held the slot before (the CLI's statistics, a
 * hypervisor). Each client gets a handle; when the last one closes the slot goes back to its
 * previous holder, so nothing of ours stays installed.
 */
final class HookSlots {
    private static final Map<Cpu, HookSlots> SLOTS = new WeakHashMap<>();

    private final Cpu cpu;
    private final Slot<ExecutionHook> hooks;
    private final Slot<ExceptionInterceptor> interceptors;

    private HookSlots(Cpu cpu) {
        this.cpu = cpu;
        hooks = new Slot<>(cpu::executionHook, cpu::setExecutionHook, HookSlots::anyStops);
        interceptors = new Slot<>(cpu::exceptionInterceptor, cpu::setExceptionInterceptor, HookSlots::firstDecision);
    }

    static synchronized HookSlots of(Cpu cpu) {
        return SLOTS.computeIfAbsent(cpu, HookSlots::new);
    }

    /** Installs {@code hook} beside the others: each sees every instruction; the CPU stops if any says stop. */
    AutoCloseable addExecutionHook(ExecutionHook hook) {
        return hooks.add(hook);
    }

    /**
     * Installs {@code interceptor} beside the others: each sees every event; the first decision
     * other than DELIVER wins, and the previous holder of the slot decides last.
     */
    AutoCloseable addInterceptor(ExceptionInterceptor interceptor) {
        return interceptors.add(interceptor);
    }

    /**
     * With no client left, drops this entry: its value refers to the CPU, so a weak key alone
     * would never let a dropped machine be collected.
     */
    private void forgetIfUnused() {
        if (hooks.unused() && interceptors.unused()) {
            synchronized (HookSlots.class) {
                SLOTS.remove(cpu, this);
            }
        }
    }

    /** One of the CPU's single slots, shared: its clients, and whoever held it before them (last). */
    private final class Slot<H> {
        private final Supplier<H> current;
        private final Consumer<H> install;
        private final Function<List<H>, H> combine;
        private final List<H> clients = new ArrayList<>();
        private H previous;

        Slot(Supplier<H> current, Consumer<H> install, Function<List<H>, H> combine) {
            this.current = current;
            this.install = install;
            this.combine = combine;
        }

        AutoCloseable add(H client) {
            if (clients.isEmpty()) {
                previous = current.get();
            }
            clients.add(client);
            reinstall();
            return () -> {
                if (clients.remove(client)) {
                    if (clients.isEmpty()) {
                        install.accept(previous);
                        previous = null;
                        forgetIfUnused();
                    } else {
                        reinstall();
                    }
                }
            };
        }

        boolean unused() {
            return clients.isEmpty();
        }

        private void reinstall() {
            List<H> all = new ArrayList<>(clients);
            if (previous != null) {
                all.add(previous);
            }
            // The common case, one client, goes straight to it.
            install.accept(all.size() == 1 ? all.get(0) : combine.apply(all));
        }
    }

    private static ExecutionHook anyStops(List<ExecutionHook> hooks) {
        ExecutionHook[] a = hooks.toArray(new ExecutionHook[0]);
        return (c, eip) -> {
            boolean stop = false;
            for (ExecutionHook h : a) {
                stop |= h.stopBefore(c, eip);  // every client sees every instruction
            }
            return stop;
        };
    }

    private static ExceptionInterceptor firstDecision(List<ExceptionInterceptor> interceptors) {
        ExceptionInterceptor[] a = interceptors.toArray(new ExceptionInterceptor[0]);
        return new ExceptionInterceptor() {
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
        };
    }
}
