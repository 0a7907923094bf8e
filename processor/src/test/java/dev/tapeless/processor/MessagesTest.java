package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.tapeless.processor.diagnostics.Message;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the messages say: the construct by its Java name (operators by their symbol, types by the
 * name the user wrote), why it is refused, and advice that can be followed (no "annotate it" for
 * a library method).
 */
class MessagesTest {

    private static JavaFileObject source(String members) {
        return JavaFileObjects.forSourceString("test.M", Sources.IMPORTS + """
                import java.util.Objects;
                import org.nd4j.linalg.factory.Nd4j;

                public class M {
                    static double g(double a, double b) { return a + b; }

                    @Differentiable
                    static double two(double a, double b) { return a * b; }

                %s
                }
                """.formatted(members.indent(4)));
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                // members, a fragment of the error's line, a fragment of the message
                Arguments.of("""
                        @Differentiable
                        static Variable f(Variable x, INDArray d) {
                            long n = d.length();
                            return x.mul(n).sum();
                        }
                        """, "d.length()", "'d' is an INDArray, which is data in a @Differentiable method, so Tapeless does not"
                        + " call its methods; compute d.length() outside the method and pass the result in, or wrap the array"
                        + " with Variable.constant(d)"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x, double y) {
                            return Double.max(x, y);
                        }
                        """, "Double.max(x, y)", "call to Double.max, whose source is not in this compilation, so Tapeless"
                        + " cannot differentiate through it; use Math.max, which Tapeless differentiates"),
                Arguments.of("""
                        @Differentiable
                        static Variable f(Variable x) {
                            Variable y = Objects.requireNonNull(x);
                            return y.sum();
                        }
                        """, "Objects.requireNonNull(x)", "call to Objects.requireNonNull, whose source is not in this"
                        + " compilation, so Tapeless cannot differentiate through it; compute its result outside the"
                        + " @Differentiable method and pass it in as a parameter, or use a supported op"),
                Arguments.of("""
                        @Differentiable
                        static Variable f(Variable x) {
                            INDArray z = Nd4j.zeros(3);
                            return x.sum();
                        }
                        """, "Nd4j.zeros(3)", "call to Nd4j.zeros, whose source is not in this compilation"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x, int n) {
                            int k = n << 1;
                            return x * k;
                        }
                        """, "n << 1", "operator '<<' is not supported in a @Differentiable method"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x, int n) {
                            int k = n ^ 1;
                            return x * k;
                        }
                        """, "n ^ 1", "operator '^' is not supported"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x, int n) {
                            n >>>= 1;
                            return x * n;
                        }
                        """, "n >>>= 1", "operator '>>>=' is not supported"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x) {
                            assert x > 0;
                            return x;
                        }
                        """, "assert x > 0", "an assert statement is not supported in a @Differentiable method"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x) {
                            synchronized (M.class) {
                                x = x * 2;
                            }
                            return x;
                        }
                        """, "synchronized (M.class)", "a synchronized statement is not supported"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x) {
                            int n = x;
                            return x * n;
                        }
                        """, "int n = x;", "this is a double, but an int is needed here (the type of the local, parameter"
                        + " or result it goes to); change that type, or compute an int"),
                Arguments.of("""
                        @Differentiable(wrt = "n")
                        static double f(double x, int n) {
                            return x * n;
                        }
                        """, "wrt = \"n\"", "wrt names 'n', an int parameter, which is data"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x) {
                            return Math.sin(x, x);
                        }
                        """, "Math.sin(x, x)", "Math.sin takes one argument"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x) {
                            return two(x);
                        }
                        """, "return two(x)", "call to 'two' with one argument; it takes 2"),
                Arguments.of("""
                        @Differentiable
                        static double f(double x) {
                            return g(x, x);
                        }
                        """, "return g(x, x)", "call to 'g', which is not @Differentiable; annotate it with @Differentiable"
                        + " (it is in this compilation)"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("messages")
    void theMessageNamesTheConstructAndWhatToDo(String members, String line, String message) {
        JavaFileObject s = source(members);
        Compilation c = Sources.compile(s);
        assertThat(c).hadErrorContaining(message).inFile(s).onLineContaining(line);
        assertThat(c).hadErrorCount(1);
    }

    @Test
    void thisAndSuperAreNamedAsSuch() {
        JavaFileObject s = source("""
                static double k = 1;

                @Differentiable
                static double f(double x) {
                    return x * this.k;
                }

                @Differentiable
                static double h(double x) {
                    return x * super.hashCode();
                }
                """);
        Compilation c = Sources.compile(s);
        assertThat(c).hadErrorContaining("'this' does not exist in a @Differentiable method, which is static; use its"
                + " parameters, locals and static fields").inFile(s).onLineContaining("x * this.k");
        assertThat(c).hadErrorContaining("'super' does not exist in a @Differentiable method").inFile(s)
                .onLineContaining("super.hashCode()");
    }

    @Test
    void aMethodCallOnAnIntIsNamedWithItsArticle() {
        JavaFileObject s = source("""
                @Differentiable
                static double f(double x, int n) {
                    return x * n.hashCode();
                }
                """);
        // javac adds its own error (an int has no methods) after processing.
        assertThat(Sources.compile(s)).hadErrorContaining("a method call on an int is not supported in a @Differentiable method")
                .inFile(s).onLineContaining("n.hashCode()");
    }

    @Test
    void articlesFollowTheSound() {
        assertEquals("an int", Message.a("int"));
        assertEquals("an INDArray", Message.a("INDArray"));
        assertEquals("an assert statement", Message.a("assert statement"));
        assertEquals("a double", Message.a("double"));
        assertEquals("a Variable", Message.a("Variable"));
        assertEquals("a unary plus", Message.a("unary plus"));
        assertEquals("an unknown", Message.a("unknown"));
    }

    /** Articles before an argument are the caller's business ({@link Message#a}): "a {1}" gives "a int". */
    @Test
    void noPatternPutsAnArticleBeforeAnArgument() {
        for (Message m : Message.values()) {
            assertFalse(m.pattern().matches("(?s).*\\b(a|an) \\{.*"), m + ": " + m.pattern());
        }
    }
}
