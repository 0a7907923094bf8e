package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Bugs an adversarial review found in calls and custom derivatives (each failed on 7d4847b), fixed. */
class CallsAdversarialFixedTest {

    /** Bug 2: a custom function of this compilation called from another package. */
    @Test
    void customFromAnotherPackage() {
        Compilation c = Compiler.javac().withProcessors(new TapelessProcessor()).compile(
                JavaFileObjects.forSourceString("p.a.A", """
                        package p.a;
                        import dev.tapeless.Derivative;
                        import dev.tapeless.Differentiable;
                        public final class A {
                            @Differentiable public static double c(double x) { return Math.atan(x); }
                            @Derivative(of = "c") static double cPrime(double x, double upstream) { return upstream / (1 + x * x); }
                        }
                        """),
                JavaFileObjects.forSourceString("p.b.B", """
                        package p.b;
                        import dev.tapeless.Differentiable;
                        public final class B {
                            @Differentiable public static double f(double x) { return p.a.A.c(x) * x; }
                        }
                        """));
        // It failed: BDerivatives read ADerivatives.cVjp(x).pullback(..).cPrime(), but the record component is x.
        assertThat(c).succeeded();
        Loaded l = new Loaded(c);
        for (double x : new double[] {-3, 0.4, 7}) {
            Object g = l.call("p.b.BDerivatives", "fGradient", x);
            assertEquals(Math.atan(x) * x, (double) Sources.component(g, "value"), 0.0);
            assertEquals(x / (1 + x * x) + Math.atan(x), (double) Sources.component(g, "x"), 1e-15);
        }
    }

    /** Bug 3: a custom function in a private nested class. */
    @Test
    void customInAPrivateNestedClass() {
        Compilation c = Sources.compile(Sources.classT("""
                private static final class Hidden {
                    @Differentiable static double c(double x) { return Math.atan(x); }
                    @dev.tapeless.Derivative(of = "c") static double cPrime(double x, double upstream) { return upstream / (1 + x * x); }
                }
                @Differentiable public static double f(double x) { return Hidden.c(x) * 2; }
                """));
        // It failed with javac's errors in T_HiddenDerivatives and TDerivatives ("test.T.Hidden has private access").
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("'c' has a custom derivative, so generated code calls it; make its class Hidden not private")
                .inFile(c.sourceFiles().get(0)).onLine(Sources.lineOf(c.sourceFiles().get(0), "@Differentiable static double c"));
        assertThat(c).hadErrorContaining("cannot call 'c': its custom derivative has an error");
        assertThat(c).hadErrorCount(2);
    }

    /** Bug 4: a long method (split into parts) reading a double[] parameter at its start and at its end. */
    @Test
    void splitMethodLosesTheArrayAdjoint() {
        StringBuilder body = new StringBuilder("double s = w[0] * w[1];\n");
        for (int i = 0; i < 45; i++) body.append("s = Math.sin(s) * y + s * 0.5;\n");
        Compilation c = Sources.compile(Sources.classT("@Differentiable public static double big(double[] w, double y) {\n"
                + body + "return s * w[0];\n}"));
        // It failed: "cannot find symbol d_w" in bigGradient, bigGradientPart2 and BigVjp.
        assertThat(c).succeeded();
        Loaded l = new Loaded(c);
        double[] w = {0.3, -0.7};
        double y = 0.9;
        Object g = l.call("test.TDerivatives", "bigGradient", w, y);
        double h = 1e-6;
        double[] wp = {w[0] + h, w[1]};
        double[] wm = {w[0] - h, w[1]};
        double fd = ((double) l.call("test.T", "big", wp, y) - (double) l.call("test.T", "big", wm, y)) / (2 * h);
        Object vjp = l.call("test.TDerivatives", "bigVjp", w, y);
        assertEquals(((double[]) Sources.component(g, "w"))[1],
                ((double[]) Sources.component(Loaded.invoke(vjp, "pullback", 1.0), "w"))[1], 0.0);
        assertEquals(fd, ((double[]) Sources.component(g, "w"))[0], 1e-6 * Math.max(1, Math.abs(fd)));
    }

    /** Bug 1: the tape's derivative lookup is cached by class NAME, across class loaders. */
    @Test
    void customDerivativesOfTwoClassesWithOneName() {
        for (double factor : new double[] {2, 5}) {
            Compilation c = Sources.compile(Sources.classT("""
                    @Differentiable public static Variable f(Variable x) { return Variable.custom(x.value().mul(K), x); }
                    @dev.tapeless.Derivative(of = "f") static INDArray fPrime(INDArray x, INDArray upstream) { return upstream.mul(K); }
                    """.replace("K", Double.toString(factor))));
            Loaded l = new Loaded(c);
            Tape.reset();
            Variable x = Variable.constant(Nd4j.createFromArray(1.0, 2.0), "x");
            Variable out = ((Variable) l.call("test.T", "f", x)).sum();
            INDArray g = Tape.grad(out, x).get(0).value();
            Tape.reset();
            assertEquals(factor, g.getDouble(0), 0.0); // it gave 2 for 5: the tape called the first class's fPrime
        }
    }
}
