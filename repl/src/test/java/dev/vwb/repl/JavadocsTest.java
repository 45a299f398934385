package dev.vwb.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Signatures as JShell writes them, resolved to the workbench's own sources and their Javadoc as text. */
class JavadocsTest {
    private final Javadocs docs = new Javadocs(JavadocsTest.class.getClassLoader());

    private String doc(String signature) {
        Optional<String> d = docs.of(signature);
        assertTrue(d.isPresent(), "no Javadoc for " + signature);
        return d.get();
    }

    @Test
    void aMethodsJavadocIsPlainTextWithTheOverloadOfTheSignature() {
        String step = doc("RunReport Vm.step(long n)");
        assertTrue(step.startsWith("Executes n instructions (fewer if the guest halts"), step);
        assertTrue(step.contains("step(1) on a faulting instruction"), "{@code} is its text: " + step);
        assertEquals("Executes one instruction.", doc("RunReport Vm.step()"));
    }

    @Test
    void typesByFullyQualifiedNameIncludingNestedOnes() {
        assertTrue(doc("dev.vwb.workbench.Vm").length() > 40);
        assertTrue(doc("dev.vwb.workbench.hv.Hypervisor.Mode").startsWith("How the x86 gap"), doc("dev.vwb.workbench.hv.Hypervisor.Mode"));
    }

    @Test
    void enumConstantsFieldsAndARecordsConstructorWithItsParameters() {
        assertTrue(doc("Hypervisor.Mode.PATCH").startsWith("Sensitive instructions are turned into traps"));
        assertTrue(doc("Vm.RECORDING_CAPACITY:int").startsWith("Events"), doc("Vm.RECORDING_CAPACITY:int"));
        String record = doc("dev.vwb.workbench.Recording(RunReport report, java.util.List<dev.vwb.tracing.TraceEvent> events, long dropped)");
        assertTrue(record.contains("Parameters:\n  report  how the recorded run ended"), record);
    }

    @Test
    void whatIsNotTheWorkbenchsHasNone() {
        assertEquals(Optional.empty(), docs.of("String String.valueOf(Object obj)"));
        assertEquals(Optional.empty(), docs.of("RunReport Vm.noSuchMethod()"));
        assertEquals(Optional.empty(), docs.of("garbage((("));
    }
}
