package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Events about a machine that come from outside it — a hypervisor's VM exits — delivered to the
 * tracers and breakpoints attached to that machine. The machine has no hook for them (it knows
 * nothing of hypervisors), so the hypervisor publishes here and tracing subscribes here.
 */
public final class MachineEvents {
    private static final Map<Cpu, List<Consumer<TraceEvent>>> SUBSCRIBERS = new WeakHashMap<>();

    private MachineEvents() {
    }

    /** Whether anyone listens on {@code cpu}'s machine: a publisher skips building events nobody wants. */
    public static boolean wanted(Cpu cpu) {
        List<Consumer<TraceEvent>> l;
        synchronized (SUBSCRIBERS) {
            l = SUBSCRIBERS.get(cpu);
        }
        return l != null && !l.isEmpty();
    }

    /** Hands {@code event} to every subscriber of {@code cpu}'s machine. */
    public static void publish(Cpu cpu, TraceEvent event) {
        List<Consumer<TraceEvent>> l;
        synchronized (SUBSCRIBERS) {
            l = SUBSCRIBERS.get(cpu);
        }
        if (l != null) {
            for (Consumer<TraceEvent> s : l) {
                s.accept(event);
            }
        }
    }

    /** Subscribes to {@code cpu}'s machine; close the handle to stop. */
    static AutoCloseable subscribe(Cpu cpu, Consumer<TraceEvent> subscriber) {
        synchronized (SUBSCRIBERS) {
            SUBSCRIBERS.computeIfAbsent(cpu, c -> new CopyOnWriteArrayList<>()).add(subscriber);
        }
        return () -> {
            synchronized (SUBSCRIBERS) {
                List<Consumer<TraceEvent>> l = SUBSCRIBERS.get(cpu);
                if (l != null) {
                    l.remove(subscriber);
                    if (l.isEmpty()) {
                        SUBSCRIBERS.remove(cpu);
                    }
                }
            }
        };
    }
}
