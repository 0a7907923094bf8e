package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compile errors of the scalar language: each construct outside it is reported at its line with a
 * message that names it and says what to do, and the class gets no companion.
 */
class ScalarDiagnosticsTest {
    private static final String FILE = "p/Pricing.java";

    /** A class with one {@code @Differentiable double} method whose body is {@code body}. */
    private static JavaFileObject source(String body) {
        return JavaFileObjects.forSourceString("p.Pricing", """
                package p;

                import dev.tapeless.Differentiable;

                class Pricing {
                    private static double hidden = 2;
                    static double plain(double x) { return x; }

                    @Differentiable
                    static double price(double x, double y, int n) {
                %s
                    }
                }
                """.formatted(body.indent(8).stripTrailing()));
    }

    private static Compilation compile(JavaFileObject source) {
        return Compiler.javac().withProcessors(new TapelessProcessor()).compile(source);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // body, the line the error is on, what the message says
                Arguments.of("return Math.floor(x) * y;", "Math.floor(x)",
                        "Math.floor has no useful derivative (zero or undefined almost everywhere)"),
                Arguments.of("double r = Math.random();\nreturn x * r;", "Math.random()",
                        "Math.random has no useful derivative"),
                Arguments.of("return Math.signum(x) * x;", "Math.signum(x)", "Math.signum has no useful derivative"),
                Arguments.of("return Math.round(x) * 1.0;", "Math.round(x)", "Math.round has no useful derivative"),
                Arguments.of("return x % y;", "x % y", "operator '%' takes ints or longs here, but an operand is a double"),
                Arguments.of("double a = x;\na %= y;\nreturn a;", "a %= y", "operator '%' takes ints or longs here, but an operand is a double"),
                Arguments.of("return x * 1.5f;", "1.5f", "float literals are not supported; use a double literal"),
                Arguments.of("int k = n;\nk <<= 1;\nreturn x * k;", "k <<= 1", "operator '<<=' is not supported"),
                Arguments.of("return x > 0 & y > 0 ? x : y;", "&", "operator '&' is not supported"),
                Arguments.of("switch (n) {\n    case 1: return x;\n    default: return y;\n}", "switch (n)",
                        "a switch statement is not supported in a @Differentiable method; write it with if/else"),
                Arguments.of("outer:\nfor (int i = 0; i < n; i++) {\n    if (x > i) break outer;\n}\nreturn x;", "outer:",
                        "the label 'outer' is not supported"),
                Arguments.of("return x > 0 ^ y > 0 ? x : y;", "^", "operator '^' is not supported"),
                Arguments.of("if (x > 0) throw new IllegalArgumentException();\nreturn x;", "throw new",
                        "a throw statement is not supported in a @Differentiable method"),
                Arguments.of("try {\n    return x;\n} finally {\n}", "try {", "a try statement is not supported in a @Differentiable method"),
                Arguments.of("assert x > 0;\nreturn x;", "assert x", "an assert statement is not supported in a @Differentiable method"),
                Arguments.of("return Math.fma(x, y, 1.0);", "Math.fma", "Math.fma is not supported; use one of "),
                Arguments.of("return Math.sin(x, y);", "Math.sin(x, y)", "Math.sin takes one argument"),
                Arguments.of("return StrictMath.floor(x);", "StrictMath.floor(x)", "StrictMath.floor has no useful derivative"),
                Arguments.of("return (int) x * y;", "(int) x", "this conversion of a double to int depends on a differentiable parameter"),
                Arguments.of("return (float) x * y;", "(float) x", "cast to float is not supported"),
                Arguments.of("return plain(x) * y;", "plain(x)", "call to 'plain', which is not @Differentiable"),
                Arguments.of("return hidden * x;", "hidden * x", "static field 'hidden' is private, so the generated companion, in package p, cannot read it at run time; make it package-private"),
                Arguments.of("float a = 1;\nreturn x * a;", "float a", "local 'a' has type float"),
                Arguments.of("hidden = x;\nreturn x;", "hidden = x", "'hidden' is not a local variable, and only locals can be assigned"),
                Arguments.of("return \"x\".length() * x;", "\"x\".length()", "is not supported in a @Differentiable method"),
                Arguments.of("double[] a = {x, y};\ndouble[] b = a;\nreturn b[0];", "double[] b = a",
                        "array local 'b' must be a new array of its own"),
                Arguments.of("return x > y ? true : false ? x : y;", "true :", "?: takes a number here, but the argument is a boolean"),
                Arguments.of("return unknown * x;", "unknown * x", "cannot resolve 'unknown'"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("rejected")
    void constructOutsideTheScalarLanguageIsAnErrorAtItsLine(String body, String line, String message) {
        Compilation c = compile(source(body));
        assertThat(c).hadErrorContaining(message).inFile(source(body)).onLineContaining(line);
        assertThat(c).hadErrorCount(1); // no follow-on errors: no half-written companion
    }

    @Test
    void errorPointsAtTheOperator() {
        JavaFileObject s = source("double a = x + y;\nreturn a % y;");
        // Line 12 of the source; column of '%' (javac reports a binary expression at its operator).
        assertThat(compile(s)).hadErrorContaining("operator '%'").inFile(s).onLine(12).atColumn(18);
    }

    @Test
    void floatParameterIsRejected() {
        JavaFileObject s = JavaFileObjects.forSourceString("p.F", """
                package p;
                import dev.tapeless.Differentiable;
                class F {
                    @Differentiable
                    static double f(float x) { return x; }
                }
                """);
        assertThat(compile(s)).hadErrorContaining("parameter 'x' has type float").inFile(s).onLineContaining("float x");
    }

    @Test
    void oneErrorPerMethodAndOthersStillReported() {
        JavaFileObject s = JavaFileObjects.forSourceString("p.Two", """
                package p;
                import dev.tapeless.Differentiable;
                class Two {
                    @Differentiable
                    static double a(double x) { return Math.ceil(x); }
                    @Differentiable
                    static double b(double x) { return x % 2; }
                }
                """);
        Compilation c = compile(s);
        assertThat(c).hadErrorContaining("Math.ceil has no useful derivative").inFile(s).onLineContaining("Math.ceil");
        assertThat(c).hadErrorContaining("operator '%'").inFile(s).onLineContaining("x % 2");
        assertThat(c).hadErrorCount(2);
    }

    @Test
    void scalarLanguageCompilesToStraightLineJava() throws IOException {
        JavaFileObject s = JavaFileObjects.forSourceString("p.Ok", """
                package p;
                import dev.tapeless.Differentiable;
                class Ok {
                    static final double HALF = 0.5;
                    static double scale = 3;
                    @Differentiable
                    static double f(double x, double y, int n) {
                        double a = x * y + Math.sin(x) / n;
                        a += HALF * scale;
                        a *= x < y ? Math.exp(y) : -x;
                        return Math.max(a, y) + Math.pow(x, 2) + StrictMath.cbrt(y);
                    }
                }
                """);
        Compilation c = compile(s);
        assertThat(c).succeededWithoutWarnings();
        String generated = c.generatedSourceFile("p.OkDerivatives").orElseThrow().getCharContent(true).toString();
        String code = generated.lines().filter(l -> !l.strip().startsWith("//") && !l.strip().startsWith("*"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(generated.contains("public static double f(double x, double y, int n)"), generated);
        assertTrue(generated.contains("public static FGradient fGradient(double x, double y, int n)"), generated);
        assertTrue(generated.contains("public FGradient pullback(double upstream)"), generated);
        assertTrue(generated.contains("record FGradient(double value, double x, double y)"), generated);
        assertTrue(generated.contains("Ok.scale"), "a non-final field is read at run time");
        assertTrue(generated.contains("StrictMath.cbrt(y)"), "StrictMath stays StrictMath");
        assertTrue(generated.contains("boolean gt = y > x;"), "x < y is read as y > x");
        assertFalse(code.contains("Math.pow"), "pow(x, 2) is x * x");
        for (String control : new String[] {"for (", "while (", "new double"}) {
            assertFalse(code.contains(control), "straight-line code, no " + control);
        }
        // Forward passes do not branch; reverse passes only to skip the adjoint of an operand not taken.
        String forward = code.substring(code.indexOf("public static double f("), code.indexOf("public static FGradient fGradient("));
        assertFalse(forward.contains("if ("), forward);
    }
}
