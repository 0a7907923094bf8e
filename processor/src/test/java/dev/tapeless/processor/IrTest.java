package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import org.junit.jupiter.api.Test;

/** The IR is printable, for tests and for users: {@code -Atapeless.printIr}. */
class IrTest {

    @Test
    void theSeedsLossReadsAsThreeOpsAndItsGradientAddsOneOpPlusShapeGuards() {
        Compilation c = Compiler.javac().withProcessors(new TapelessProcessor())
                .withOptions("-Atapeless.printIr")
                .compile(GeneratedSourceTest.SEED);
        assertThat(c).succeeded();
        // As read: the call to simple() inlined, Tape.reset() dropped.
        assertNoteHasLines(c, """
                %0(a) : tensor = param[a]
                %1(b) : tensor = param[b]
                %2(t) : tensor = add %0(a), %1(b)    ; line 10
                %3 : tensor = mul %2(t), %1(b)    ; line 11
                %4 : tensor = sum[dims=[]] %3    ; line 17
                return %4
                """);
        // Optimized gradient: the seed's ones folded away; one add for d_b; expand_like and sum_to
        // are shape guards that run no op when shapes agree.
        assertNoteHasLines(c, """
                %7 : tensor = expand_like %1(b), %3    ; line 11, adjoint
                %8(d_t) : tensor = sum_to %7, %2(t)    ; line 11, adjoint
                %9 : tensor = expand_like %2(t), %3    ; line 11, adjoint
                %10 : tensor = sum_to %9, %1(b)    ; line 11, adjoint
                %11(d_a) : tensor = sum_to %8(d_t), %0(a)    ; line 10, adjoint
                %12 : tensor = sum_to %8(d_t), %1(b)    ; line 10, adjoint
                %13(d_b) : tensor = add %10, %12    ; line 10, adjoint
                return %4, %11(d_a), %13(d_b)
                """);
    }

    /** javac indents the continuation lines of a multi-line note, so lines are matched one by one. */
    private static void assertNoteHasLines(Compilation c, String lines) {
        for (String line : lines.strip().split("\n")) assertThat(c).hadNoteContaining(line);
    }
}
