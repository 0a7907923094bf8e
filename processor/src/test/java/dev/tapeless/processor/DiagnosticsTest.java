package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every construct outside the supported language is one compile error, on the line of the
 * construct, with a message that names it and says what to do; never a crash, never a companion.
 */
class DiagnosticsTest {

    /** Source members, a fragment of the line the error must be on, a fragment of the message. */
    static Stream<Arguments> unsupported() {
        return Stream.of(
                Arguments.of("""
                        @Differentiable
                        Variable notStatic(Variable x) { return x.sum(); }
                        """, "Variable notStatic", "@Differentiable method 'notStatic' is not static; make it static"),
                Arguments.of("""
                        @Differentiable
                        static int returnsInt(Variable x) { return 1; }
                        """, "static int returnsInt", "returns int; return Variable or double"),
                Arguments.of("""
                        @Differentiable
                        static Variable badParameter(Variable x,
                                                     String label) { return x.sum(); }
                        """, "String label", "parameter 'label' has type java.lang.String"),
                Arguments.of("""
                        @Differentiable
                        static Variable clash(Variable value) { return value.sum(); }
                        """, "Variable clash", "parameter 'value' clashes with the component value()"),
                Arguments.of("""
                        @Differentiable(wrt = {"x",
                                               "y"})
                        static Variable unknownWrt(Variable x) { return x.sum(); }
                        """, "\"y\"})", "wrt names 'y', which is not a parameter of 'unknownWrt'"),
                Arguments.of("""
                        @Differentiable(wrt = "data")
                        static Variable dataWrt(Variable x, INDArray data) { return x.sum(); }
                        """, "wrt = \"data\"", "wrt names 'data', an INDArray parameter, which is data"),
                Arguments.of("""
                        @Differentiable(wrt = {"x", "x"})
                        static Variable twice(Variable x) { return x.sum(); }
                        """, "wrt = {\"x\", \"x\"}", "wrt names 'x' twice"),
                Arguments.of("""
                        @Differentiable
                        static Variable switches(Variable x, int n) {
                            switch (n) {
                                case 0: return x.sum();
                                default: return x.neg().sum();
                            }
                        }
                        """, "switch (n)", "a switch statement is not supported in a @Differentiable method"),
                Arguments.of("""
                        @Differentiable
                        static Variable labeled(Variable x, int n) {
                            Variable y = x;
                            outer:
                            for (int i = 0; i < n; i++) {
                                y = y.mul(x);
                            }
                            return y.sum();
                        }
                        """, "outer:", "the label 'outer' is not supported"),
                Arguments.of("""
                        @Differentiable
                        static Variable throwing(Variable x, int n) {
                            if (n < 0) throw new IllegalArgumentException("n");
                            return x.sum();
                        }
                        """, "throw new", "a throw statement is not supported in a @Differentiable method"),
                Arguments.of("""
                        @Differentiable
                        static Variable conditional(Variable x, boolean flag) {
                            return (flag ? x : x.neg()).sum();
                        }
                        """, "flag ? x", "'?:' applies to double values, not to a Variable; choosing between arrays"),
                Arguments.of("""
                        static Variable helper(Variable x) { return x.exp(); }

                        @Differentiable
                        static Variable callsPlainMethod(Variable x) {
                            return helper(x).sum();
                        }
                        """, "return helper(x)", "call to 'helper', which is not @Differentiable"),
                Arguments.of("""
                        @Differentiable
                        static Variable recursive(Variable x) {
                            return recursive(x.mul(0.5));
                        }
                        """, "return recursive(", "recursive call to 'recursive'"),
                Arguments.of("""
                        @Differentiable
                        static Variable dataOut(Variable x) {
                            long n = x.value().length();
                            return x.sum();
                        }
                        """, "x.value().length()", "Variable.value is not an op Tapeless can differentiate"),
                Arguments.of("""
                        @Differentiable
                        static Variable dynamicDims(Variable x, int axis) {
                            return x.sum(axis);
                        }
                        """, "x.sum(axis)", "the dimension of sum must be a compile-time constant"),
                Arguments.of("""
                        @Differentiable
                        static Variable meanOverOneAxisTwice(Variable x) {
                            return x.mean(1,
                                          1);
                        }
                        """, "1);", "Variable.mean names dimension 1 twice; name each axis once"),
                Arguments.of("""
                        @Differentiable
                        static Variable keptSumOverOneAxisTwice(Variable x) {
                            return x.sum(true, -2, -2).sum();
                        }
                        """, "x.sum(true, -2, -2)", "Variable.sum names dimension -2 twice; name each axis once"),
                Arguments.of("""
                        static final int AXIS = 0;

                        @Differentiable
                        static Variable sumOverAFieldAxisAndItsValue(Variable x) {
                            return x.sum(AXIS, 0);
                        }
                        """, "x.sum(AXIS, 0)", "Variable.sum names dimension 0 twice; name each axis once"),
                Arguments.of("""
                        @Differentiable
                        static Variable wrapsExpression(Variable x) {
                            return Variable.constant(x.value()).sum();
                        }
                        """, "Variable.constant(x.value())", "Variable.constant takes an INDArray parameter"),
                Arguments.of("""
                        @Differentiable
                        static Variable floors(Variable x, double s) {
                            return x.mul(Math.floor(s));
                        }
                        """, "Math.floor(s)", "Math.floor has no useful derivative"),
                Arguments.of("""
                        @Differentiable
                        static Variable usesTheTape(Variable x) {
                            Variable y = x.exp();
                            Tape.grad(y, x);
                            return y.sum();
                        }
                        """, "Tape.grad(y, x)", "Tape.grad() cannot be used inside a @Differentiable method"),
                Arguments.of("""
                        @Differentiable
                        static Variable stringLocal(Variable x) {
                            String s = "label";
                            return x.sum();
                        }
                        """, "String s", "local 's' has type String"),
                Arguments.of("""
                        @Differentiable
                        static Variable printing(Variable x) {
                            System.out.println(x);
                            return x.sum();
                        }
                        """, "System.out.println", "System.out.println(x)"),
                Arguments.of("""
                        @Differentiable
                        static Variable arrays(Variable x, int n) {
                            double[][] grid = new double[2][2];
                            return x.sum();
                        }
                        """, "double[][] grid", "local 'grid' has type double[][]"),
                Arguments.of("""
                        static final Variable SHARED = null;

                        @Differentiable
                        static Variable readsVariableField(Variable x) {
                            return x.mul(SHARED);
                        }
                        """, "x.mul(SHARED)", "static field 'SHARED' has type dev.tapeless.runtime.Variable"),
                Arguments.of("""
                        @Differentiable
                        static Variable tries(Variable x) {
                            try {
                                return x.sum();
                            } finally {
                                Tape.reset();
                            }
                        }
                        """, "try {", "a try statement is not supported in a @Differentiable method"),
                Arguments.of("""
                        @Differentiable
                        static Variable remainder(Variable x, double n) {
                            double k = n % 2;
                            return x.sum();
                        }
                        """, "n % 2", "operator '%' takes ints or longs here, but an operand is a double"),
                Arguments.of("""
                        @Differentiable
                        static Variable increments(Variable x, int n) {
                            x++;
                            return x.sum();
                        }
                        """, "x++", "operator '++' does not apply to a Variable; call add(1.0) or sub(1.0) instead"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("unsupported")
    void eachUnsupportedConstructIsOneErrorOnItsLine(String members, String line, String message) {
        JavaFileObject source = Sources.classT(members);
        Compilation c = Sources.compile(source);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining(message).inFile(source).onLineContaining(line);
    }

    /** (0, -1) names two axes on every rank it applies to; (0, -2) names one axis twice on rank 2 only, found at run time. */
    @Test
    void dimsOfOppositeSignsCompile() {
        Compilation c = Sources.compile(Sources.classT("""
                @Differentiable
                static Variable f(Variable x) { return x.sum(0, -1).add(x.mean(true, 0, -2).sum()).sum(); }
                """));
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void overloadedMethodsAreEachReported() {
        JavaFileObject source = Sources.classT("""
                @Differentiable
                static Variable f(Variable x) { return x.sum(); }

                @Differentiable
                static Variable f(Variable x, Variable y) { return x.mul(y).sum(); }
                """);
        Compilation c = Sources.compile(source);
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("'f' is overloaded").inFile(source).onLineContaining("f(Variable x)");
        assertThat(c).hadErrorContaining("'f' is overloaded").inFile(source).onLineContaining("f(Variable x, Variable y)");
    }

    @Test
    void anErrorInOneMethodIsReportedOnceAndOtherClassesCompileCleanly() {
        JavaFileObject bad = Sources.classT("""
                @Differentiable
                static Variable good(Variable x) { return x.sum(); }

                @Differentiable
                static Variable bad(Variable x, int flag) {
                    switch (flag) { default: x = x.neg(); }
                    return x.sum();
                }
                """);
        JavaFileObject other = JavaFileObjects.forSourceString("test.Other", Sources.IMPORTS + """
                public class Other {
                    @Differentiable
                    static Variable fine(Variable x) { return x.exp().sum(); }
                }
                """);
        Compilation c = Sources.compile(bad, other);
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("a switch statement").inFile(bad).onLineContaining("switch (flag)");
    }

    @Test
    void anErrorInACalleeIsReportedInItsFileAndTheCallIsReportedInTheCallers() {
        JavaFileObject lib = JavaFileObjects.forSourceString("test.Lib", Sources.IMPORTS + """
                public class Lib {
                    @Differentiable
                    public static Variable clip(Variable x, boolean flag) {
                        return (flag ? x : x.neg());
                    }
                }
                """);
        JavaFileObject user = Sources.classT("""
                @Differentiable
                static Variable f(Variable x) {
                    return Lib.clip(x, true).sum();
                }
                """);
        Compilation c = Sources.compile(lib, user);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(2);
        assertThat(c).hadErrorContaining("'?:' applies to double values").inFile(lib).onLineContaining("flag ? x");
        assertThat(c).hadErrorContaining("cannot inline 'clip': its body has an error, reported there")
                .inFile(user).onLineContaining("Lib.clip(x, true)");
    }
}
