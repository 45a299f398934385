package dev.vwb.repl;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's local execution engine (snippets run in this JVM, so the objects they make are the
 * session's own), keeping hold of the objects rather than only their strings: the value of the
 * last snippet, so the front end can render a {@code Registers} or a {@code Disassembly} with its
 * highlights, and the value of a variable, so the short commands follow {@code vm = ...}.
 *
 * <p>The engine runs each snippet in a thread of its own, which {@link #stop()} ends (Ctrl-C on
 * a Java loop). To see the value object without copying that machinery, {@link #invoke(Method)}
 * hands the engine {@link #callTarget()} instead of the snippet's method; it calls the snippet
 * and keeps what it returns.
 */
final class LiveExecution extends LocalExecutionControl {
    /** {@link #callTarget()}, made accessible to the engine (which lives in module jdk.jshell). */
    private static final Method CALL_TARGET = callTargetMethod();
    /**
     * One snippet at a time in this JVM, whichever engine runs it: {@link #callTarget()} is static
     * (the engine calls it without an object), so it finds its engine in {@link #running}. A REPL
     * has one engine; tests have one at a time, and another's start-up snippets only wait.
     */
    private static final Object ONE_AT_A_TIME = new Object();
    /** The engine whose snippet runs now; written before the engine starts the snippet's thread. */
    private static LiveExecution running;

    /** The snippet method {@link #callTarget()} is to call. */
    private Method target;
    private volatile Object lastValue;

    /** The class whose static field holds the variable last asked for, and its name. */
    private volatile Class<?> lastVarClass;
    private volatile String lastVarName;

    /** The provider to give {@code JShell.builder().executionEngine}: makes a {@link LiveExecution}. */
    static final class Provider implements ExecutionControlProvider {
        private volatile LiveExecution made;

        @Override
        public String name() {
            return "vwb-live";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            made = new LiveExecution();
            return made;
        }

        /** The engine made, or null before JShell asked for it. */
        LiveExecution engine() {
            return made;
        }
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        synchronized (ONE_AT_A_TIME) {
            lastValue = null;
            target = doit;
            running = this;
            try {
                return super.invoke(CALL_TARGET);
            } finally {
                running = null;
            }
        }
    }

    private static Method callTargetMethod() {
        try {
            Method m = LiveExecution.class.getDeclaredMethod("callTarget");
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the snippet's method in the engine's thread and keeps its value. The snippet's own
     * exception is thrown as it is, so the engine reports it as it would have.
     */
    private static Object callTarget() throws Throwable {
        LiveExecution self = running;
        try {
            Object value = self.target.invoke(null);
            self.lastValue = value;
            return value;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Forgets the last value, before a snippet that may not produce one (an import, a class). */
    void forgetValue() {
        lastValue = null;
    }

    /** The object the last snippet evaluated to (null for none, or a statement). */
    Object lastValue() {
        return lastValue;
    }

    @Override
    public String varValue(String className, String varName) throws RunException, EngineTerminationException,
            InternalException {
        try {
            lastVarClass = findClass(className);
            lastVarName = varName;
        } catch (ClassNotFoundException e) {
            lastVarClass = null;
        }
        return super.varValue(className, varName);
    }

    /** The object in the variable {@link #varValue} was last asked about, or null. */
    Object lastVariable() {
        Field f = lastVarField();
        try {
            return f == null ? null : f.get(null);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    private Field lastVarField() {
        Class<?> c = lastVarClass;
        if (c == null) {
            return null;
        }
        try {
            Field f = c.getDeclaredField(lastVarName);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
