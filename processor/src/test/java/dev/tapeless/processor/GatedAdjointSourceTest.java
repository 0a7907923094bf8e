package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reverse pass of a function with {@code ?:} skips the adjoint of the operand not taken with
 * an {@code if}, in {@code fGradient} and in {@code pullback}; the forward passes stay straight-line.
 */
class GatedAdjointSourceTest {

    private static String generated(String members) throws IOException {
        Compilation c = Sources.compile(Sources.classT(members));
        assertThat(c).succeededWithoutWarnings(); // the blocks' scoping compiles
        return c.generatedSourceFile("test.TDerivatives").orElseThrow().getCharContent(true).toString();
    }

    /** The text of the member that starts with {@code start}, up to the next one that starts with {@code end}. */
    private static String between(String source, String start, String end) {
        int from = source.indexOf(start);
        assertTrue(from >= 0, "no " + start + " in\n" + source);
        int to = source.indexOf(end, from);
        return source.substring(from, to < 0 ? source.length() : to);
    }

    @Test
    void theAdjointOfEachOperandIsComputedOnlyWhereItIsTaken() throws IOException {
        String source = generated("""
                @Differentiable
                static double f(double x, double y) {
                    double r = x > 0 ? Math.log(x) * y : Math.exp(y) / x;
                    return r * y;
                }
                """);
        String gradient = between(source, "public static FGradient fGradient(", "public static FVjp fVjp(");
        assertTrue(gradient.contains("if (gt) {"), gradient);
        assertTrue(gradient.contains("if (!gt) {"), gradient);
        String pullback = between(source, "public FGradient pullback(", "\n    }\n");
        assertTrue(pullback.contains("if (gt) {"), pullback);
        assertTrue(pullback.contains("if (!gt) {"), pullback);
        assertFalse(between(source, "public static double f(", "public static FGradient fGradient(").contains("if ("));
        assertFalse(between(source, "public static FVjp fVjp(", "public static record FGradient").contains("if ("));
    }

    @Test
    void aValueReadAfterItsBlockIsZeroUnlessItIsAssignedThere() throws IOException {
        String gradient = between(generated("""
                @Differentiable
                static double f(double x, double y) {
                    return (x > y ? x * Math.sin(y) : y) * x;
                }
                """), "public static FGradient fGradient(", "public static FVjp fVjp(");
        Matcher declared = Pattern.compile("double (\\w+) = 0\\.0;\\n\\s*(?:double \\w+ = 0\\.0;\\n\\s*)*if \\(").matcher(gradient);
        assertTrue(declared.find(), gradient);
        String name = declared.group(1);
        int block = gradient.indexOf("if (", declared.end() - 4);
        int close = gradient.indexOf("}", block);
        assertTrue(gradient.substring(block, close).contains(" " + name + " = "), "assigned in the block: " + gradient);
        assertTrue(gradient.substring(close).contains(name), "read after the block: " + gradient);
    }

    @Test
    void minAndMaxGateTheirOperandsAndTheComparisonIsComputedOnce() throws IOException {
        String gradient = between(generated("""
                @Differentiable
                static double f(double x, double y) {
                    return Math.max(Math.exp(x) * y, Math.sin(y) * x);
                }
                """), "public static FGradient fGradient(", "public static FVjp fVjp(");
        assertTrue(gradient.contains("boolean ge = "), gradient);
        assertTrue(gradient.contains("if (ge) {"), gradient);
        assertTrue(gradient.contains("if (!ge) {"), gradient);
    }

    @Test
    void aSelectionWithinAGatedOperandIsComputedUnderBothConditions() throws IOException {
        String gradient = between(generated("""
                @Differentiable
                static double f(double x, double y) {
                    return x > 0 ? (y > 0 ? Math.log(x) * y : Math.sqrt(x)) : x * y;
                }
                """), "public static FGradient fGradient(", "public static FVjp fVjp(");
        assertTrue(gradient.contains("if (gt && gt_2) {") || gradient.contains("if (gt_2 && gt) {"), gradient);
        assertTrue(gradient.contains("if (gt && !gt_2) {") || gradient.contains("if (!gt_2 && gt) {"), gradient);
    }
}
