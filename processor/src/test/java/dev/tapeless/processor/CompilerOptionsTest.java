package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The processor works under javac's debug options: without line numbers javac keeps no line map. */
class CompilerOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"-g:none", "-g:source", "-g", "-g:lines"})
    void aCompanionIsWrittenWithSourceLinesUnderEveryDebugOption(String option) throws IOException {
        JavaFileObject s = JavaFileObjects.forSourceString("p.G", """
                package p;
                import dev.tapeless.Differentiable;
                public class G {
                    @Differentiable
                    static double f(double x) {
                        double y = x * x;
                        return y + x;
                    }
                }
                """);
        Compilation c = Compiler.javac().withProcessors(new TapelessProcessor()).withOptions(option).compile(s);
        assertThat(c).succeededWithoutWarnings();
        String generated = c.generatedSourceFile("p.GDerivatives").orElseThrow().getCharContent(true).toString();
        assertTrue(generated.contains("// G.java:6: double y = x * x;"), generated);
        assertTrue(generated.contains("// G.java:7: return y + x;"), generated);
    }
}
