package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A call means the method javac chooses (JLS 15.12.2), whatever order the overloads are declared
 * in: an annotated overload is never inlined in place of the plain one javac calls.
 */
class OverloadResolutionTest {

    private static Compilation compile(JavaFileObject source) {
        return Compiler.javac().withProcessors(new TapelessProcessor()).compile(source);
    }

    @Test
    void aLongArgumentCallsThePlainLongOverloadDeclaredAfterTheAnnotatedOne() {
        JavaFileObject s = JavaFileObjects.forSourceString("p.G", """
                package p;
                import dev.tapeless.Differentiable;
                class G {
                    @Differentiable
                    static double g(double x) { return 2 * x; }
                    static double g(long n) { return n; }
                    @Differentiable
                    static double f(double x) { return x * g(3L); }
                }
                """);
        Compilation c = compile(s);
        assertThat(c).hadErrorContaining("call to 'g', which is not @Differentiable").inFile(s).onLineContaining("g(3L)");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void aDoubleArgumentCallsTheAnnotatedOverloadDeclaredAfterAPlainIntOne() {
        JavaFileObject s = JavaFileObjects.forSourceString("p.H", """
                package p;
                import dev.tapeless.Differentiable;
                class H {
                    static double h(int n) { return n; }
                    @Differentiable
                    static double h(double x) { return x * x; }
                    @Differentiable
                    static double f(double x, int n) { return h(x) + h(n); }
                }
                """);
        Compilation c = compile(s);
        // h(x) is the annotated overload; h(n) is the plain int one, which cannot be inlined.
        assertThat(c).hadErrorContaining("call to 'h', which is not @Differentiable").inFile(s).onLineContaining("h(n)");
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void anIntArgumentWidensToTheMostSpecificOverload() {
        JavaFileObject s = JavaFileObjects.forSourceString("p.W", """
                package p;
                import dev.tapeless.Differentiable;
                class W {
                    static double w(double x, double m) { return m; }
                    @Differentiable
                    static double w(double x, long m) { return x * m; }
                    @Differentiable
                    static double f(double x, int n) { return w(x, n); }
                }
                """);
        assertThat(compile(s)).succeededWithoutWarnings();
    }

    @Test
    void anOverloadTapelessCannotTellApartIsAnErrorThatNamesTheCandidates() {
        JavaFileObject s = JavaFileObjects.forSourceString("p.T", """
                package p;
                import dev.tapeless.Differentiable;
                import dev.tapeless.runtime.Variable;
                class T {
                    @Differentiable
                    static double g(double x) { return x * x; }
                    static <A> double g(A anything) { return 1; }
                    @Differentiable
                    static Variable f(Variable v) { return v.mul(g(v)); }
                }
                """);
        Compilation c = compile(s);
        assertThat(c).hadErrorContaining("Tapeless cannot tell which method 'g' a call with arguments (Variable or INDArray) means among g(double), g(A)")
                .inFile(s).onLineContaining("g(v)");
        assertThat(c).hadErrorCount(1);
    }
}
