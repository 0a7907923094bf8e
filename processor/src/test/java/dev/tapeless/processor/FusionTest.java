package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gradient runs the reverse of a loop that only adds up in the same pass as the loop (the
 * optimizer's loop fusion): one loop instead of two, nothing saved, each element's adjoint written
 * once where the index steps by one. Loops whose reverse needs a value known only after the loop,
 * or that restore overwritten elements, keep their reverse loop. The source is
 * {@code controlflow/Fused.java}; {@link ControlFlowTest} checks its values.
 */
class FusionTest {
    private static String companion;

    @BeforeAll
    static void compile() throws Exception {
        Compilation c = Sources.compile(JavaFileObjects.forResource("controlflow/Fused.java"));
        assertThat(c).succeededWithoutWarnings();
        companion = c.generatedSourceFile("cf.FusedDerivatives").orElseThrow().getCharContent(true).toString();
    }

    /** The text of the companion's method {@code name}: from its signature to the next method. */
    private static String method(String name) {
        Matcher m = Pattern.compile("\\n    (public )?static \\S+ " + name + "\\(").matcher(companion);
        if (!m.find()) throw new AssertionError("no method " + name + " in\n" + companion);
        int end = companion.indexOf("\n    }\n", m.end());
        return companion.substring(m.start(), end);
    }

    /** The loops in a method's text, comments (which quote the source) aside. */
    private static int loops(String text) {
        Matcher m = Pattern.compile("^\\s*(for|while) \\(", Pattern.MULTILINE).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void loopsThatOnlyAddUpRunTheirReverseInTheSamePass() {
        Map<String, Integer> expected = new LinkedHashMap<>();
        // fused: one loop (the forward loop and its reverse together)
        for (String f : new String[] {"sumOfSquares", "weighted", "mean", "pairs", "plusFirst", "positives", "untilLarge",
                "local", "twoSums", "backwards", "scaled", "masked", "everyOther"}) {
            expected.put(f, 1);
        }
        expected.put("rows", 3); // the outer loop fused; in it, the dot product's loop and its reverse
        // not fused: the forward loop, then the reverse loop
        expected.put("logOfSum", 2);
        expected.put("horner", 2);
        expected.put("overwrites", 2);
        expected.put("storeAfter", 2);
        Map<String, Integer> actual = new LinkedHashMap<>();
        for (String f : expected.keySet()) actual.put(f, loops(method(f + "Gradient")));
        assertEquals(expected, actual, companion);
    }

    @Test
    void aFusedLoopSavesNothingAndNeedsNoTripCount() {
        String g = method("weightedGradient");
        assertEquals(-1, g.indexOf("Stack"), g);
        assertEquals(-1, g.indexOf("trips"), g);
    }

    @Test
    void eachElementsAdjointIsWrittenOnceWhereTheIndexStepsByOne() {
        assertEquals(1, count(method("sumOfSquaresGradient"), "d_x[i] = "), method("sumOfSquaresGradient"));
        assertEquals(1, count(method("backwardsGradient"), "d_x[i_2] = "), method("backwardsGradient"));
        // x[i / 2]: two iterations add into one element
        assertEquals(0, count(method("pairsGradient"), "] = "), method("pairsGradient"));
        assertTrue(count(method("pairsGradient"), "d_x[div] += ") > 0, method("pairsGradient"));
        // x[0] after the loop adds into an element first: the loop adds to it
        assertEquals(0, count(method("plusFirstGradient"), "d_x[i] = "), method("plusFirstGradient"));
    }

    @Test
    void aPullbackKeepsItsReverseLoop() {
        // Its upstream adjoint comes later than the forward pass: nothing to fuse with.
        String vjp = method("sumOfSquaresVjp");
        String pullback = companion.substring(companion.indexOf("pullback(", companion.indexOf("class SumOfSquaresVjp")));
        assertEquals(1, loops(vjp), vjp);
        assertEquals(1, loops(pullback.substring(0, pullback.indexOf("\n        }\n"))), pullback);
    }

    private static int count(String text, String fragment) {
        int n = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) n++;
        return n;
    }
}
