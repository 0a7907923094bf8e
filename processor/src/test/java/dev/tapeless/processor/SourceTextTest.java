package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Source text javac accepts compiles in the companion too, and names mean what javac says they mean. */
class SourceTextTest {

    @Test
    void aUnicodeEscapeInAStatementDoesNotBreakTheCommentThatQuotesIt() {
        // A Unicode escape of a line feed in the source is a line break to javac, even inside a // comment.
        JavaFileObject s = JavaFileObjects.forSourceString("p.U", """
                package p;
                import dev.tapeless.Differentiable;
                public class U {
                    @Differentiable
                    static double f(double x) {
                        double y = x *\\u000a 3; double z = y\\u002b1;
                        return z * x;
                    }
                }
                """);
        Compilation c = Sources.compile(s);
        assertThat(c).succeededWithoutWarnings();
        Class<?> companion = Sources.load(c, "p.UDerivatives");
        assertEquals((1.5 * 3 + 1) * 1.5, (double) Sources.call(companion, "f", 1.5));
    }

    @Test
    void memberTypesInheritedFromASuperclassAreFound() {
        JavaFileObject base = JavaFileObjects.forSourceString("p.Base", """
                package p;
                public class Base {
                    public static class Consts { public static final double K = 4; static double scale = 2; }
                }
                """);
        JavaFileObject s = JavaFileObjects.forSourceString("p.Sub", """
                package p;
                import dev.tapeless.Differentiable;
                public class Sub extends Base {
                    @Differentiable
                    static double f(double x) {
                        return Consts.K * x + Consts.scale * x * x;
                    }
                }
                """);
        Compilation c = Sources.compile(base, s);
        assertThat(c).succeededWithoutWarnings();
        Class<?> companion = Sources.load(c, "p.SubDerivatives");
        assertEquals(4 * 1.5 + 2 * 1.5 * 1.5, (double) Sources.call(companion, "f", 1.5));
    }
}
