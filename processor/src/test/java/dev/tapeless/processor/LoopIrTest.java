package dev.tapeless.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code -Atapeless.printIr} shows a loop as a structured region: the LOOP node takes the initial
 * values of what it carries, its {@code cond} region names the carried values and yields the
 * condition, its {@code body} region reads the carried values and yields their next values, and
 * RESULT nodes after it read the values the loop leaves. In the optimized gradient, the reverse
 * loop's body is marked {@code (reverse)} and carries the adjoints.
 */
class LoopIrTest {

    /** An Elman-like recurrence: h carried through a for loop, a slice by the loop counter. */
    private static final JavaFileObject RECURRENCE = Sources.classT("""
                @Differentiable
                static Variable run(Variable xs, Variable w, int n) {
                    Variable h = xs.slice(0);
                    for (int t = 1; t < n; t++) {
                        h = h.mul(w).add(xs.slice(t)).tanh();
                    }
                    return h.sum();
                }
            """);
    private static final long FIRST = Sources.lineOf(RECURRENCE, "Variable h = xs.slice(0);");
    private static final long FOR = Sources.lineOf(RECURRENCE, "for (int t = 1");
    private static final long STEP = Sources.lineOf(RECURRENCE, "h = h.mul(w)");
    private static final long RETURN = Sources.lineOf(RECURRENCE, "return h.sum();");

    /** The note of {@code method}: its IR as read, then its optimized gradient. */
    private static String[] noteOf(Compilation c, String method) {
        assertThat(c).succeeded();
        List<String> notes = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : c.notes()) {
            String text = d.getMessage(Locale.ROOT);
            if (text.startsWith("Tapeless IR of " + method + ":")) notes.add(text);
        }
        assertEquals(1, notes.size(), "one IR note for " + method + ": " + notes);
        String[] parts = notes.get(0).split("\n\\s*gradient, optimized:\n");
        assertEquals(2, parts.length, notes.get(0));
        return parts;
    }

    /** The first match of {@code regex} in {@code text} at or after {@code from}, or a failure showing the text. */
    private static Matcher find(String text, int from, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(from), "no match for /" + regex + "/ after offset " + from + " in\n" + text);
        return m;
    }

    /** The indentation of the line that holds offset {@code at}. */
    private static int indentAt(String text, int at) {
        int start = text.lastIndexOf('\n', at) + 1;
        int i = start;
        while (text.charAt(i) == ' ') i++;
        return i - start;
    }

    @Test
    void aForLoopCarryingATensorAndItsCounterPrintsAsALoopWithCondAndBodyRegions() {
        Compilation c = Compiler.javac().withProcessors(new TapelessProcessor())
                .withOptions("-Atapeless.printIr").compile(RECURRENCE);
        String read = noteOf(c, "run")[0];

        // The loop node takes the initial h (the slice before the loop) and the initial counter.
        Matcher init = find(read, 0, "^\\s*%(\\d+)\\(h\\) : tensor = slice %0\\(xs\\), %\\d+\\s+; line " + FIRST + "$");
        Matcher loop = find(read, init.end(), "^\\s*%(\\d+) : void = loop %" + init.group(1) + "\\(h\\), %(\\d+)\\(t\\)\\s+; line " + FOR + "$");
        String loopId = loop.group(1);
        int loopIndent = indentAt(read, loop.start(1));

        // cond: names the carried values, compares the counter with n, and yields that boolean.
        Matcher cond = find(read, loop.end(), "^\\s*cond \\(carried %(\\d+)\\(h\\), %(\\d+)\\(t\\)\\):$");
        String h = cond.group(1);
        String t = cond.group(2);
        assertEquals(loopIndent + 2, indentAt(read, cond.start()), "cond is a region of the loop\n" + read);
        Matcher test = find(read, cond.end(), "^\\s*%(\\d+) : bool = gt %2\\(n\\), %" + t + "\\(t\\)\\s+; line " + FOR + "$");
        assertEquals(loopIndent + 4, indentAt(read, test.start()), "the comparison is inside cond\n" + read);
        Matcher condYield = find(read, test.end(), "^\\s*yield %(\\d+)$");
        assertEquals(test.group(1), condYield.group(1), "cond yields the comparison\n" + read);

        // body: reads the carried h and the counter (slice by the counter), yields the next h and t.
        Matcher body = find(read, condYield.end(), "^\\s*body:$");
        assertEquals(loopIndent + 2, indentAt(read, body.start()), "body is a region of the loop\n" + read);
        Matcher mul = find(read, body.end(), "^\\s*%\\d+ : tensor = mul %" + h + "\\(h\\), %1\\(w\\)\\s+; line " + STEP + "$");
        assertEquals(loopIndent + 4, indentAt(read, mul.start()), "the body's ops are inside it\n" + read);
        find(read, body.end(), "^\\s*%\\d+ : tensor = slice %0\\(xs\\), %" + t + "\\(t\\)\\s+; line " + STEP + "$");
        Matcher next = find(read, body.end(), "^\\s*%(\\d+)\\(h\\) : tensor = tanh %\\d+\\s+; line " + STEP + "$");
        Matcher step = find(read, next.end(), "^\\s*%(\\d+)\\(t\\) : int = add %" + t + "\\(t\\), %\\d+\\s+; line " + FOR + "$");
        Matcher bodyYield = find(read, step.end(), "^\\s*yield %(\\d+)\\(h\\), %(\\d+)\\(t\\)$");
        assertEquals(next.group(1), bodyYield.group(1), "the body yields the new h\n" + read);
        assertEquals(step.group(1), bodyYield.group(2), "the body yields the new counter\n" + read);

        // After the loop, at the loop's indentation: its results, and the sum of the last h.
        Matcher result = find(read, bodyYield.end(), "^\\s*%(\\d+)\\(h\\) : tensor = result\\[0\\] %" + loopId + "\\s+; line " + FOR + "$");
        assertEquals(loopIndent, indentAt(read, result.start()), "results follow the loop, outside it\n" + read);
        find(read, result.end(), "^\\s*%(\\d+) : tensor = sum\\[dims=\\[\\]\\] %" + result.group(1) + "\\(h\\)\\s+; line " + RETURN + "$");
        find(read, result.end(), "^\\s*return %\\d+$");
    }

    @Test
    void theGradientRunsAReverseLoopCarryingTheAdjoints() {
        Compilation c = Compiler.javac().withProcessors(new TapelessProcessor())
                .withOptions("-Atapeless.printIr").compile(RECURRENCE);
        String gradient = noteOf(c, "run")[1];

        // The forward loop comes first, then a second loop from the adjoint of the for statement.
        Matcher forward = find(gradient, 0, "^\\s*%(\\d+) : void = loop .*; line " + FOR + "$");
        Matcher reverse = find(gradient, forward.end(), "^\\s*%(\\d+) : void = loop (.*); line " + FOR + ", adjoint$");
        assertTrue(reverse.group(2).contains("(d_h)"), "the reverse loop starts from the adjoint of the last h\n" + gradient);
        Matcher carried = find(gradient, reverse.end(), "^\\s*cond \\(carried (.*)\\):$");
        assertTrue(carried.group(1).contains("(d_h)") && carried.group(1).contains("(d_xs)")
                && carried.group(1).contains("(d_w)"), "it carries the adjoints of h, xs and w\n" + gradient);
        Matcher body = find(gradient, carried.end(), "^\\s*body \\(reverse\\):$");
        // The adjoint of slice(t) writes into zeros shaped like xs, at the same counter; the adjoint
        // of w accumulates in the carried d_w; the body yields the next carried values.
        find(gradient, body.end(), "^\\s*%\\d+ : tensor = unslice %\\d+\\(d_slice\\), %0\\(xs\\), %\\d+\\(t\\)\\s+; line " + STEP + ", adjoint$");
        find(gradient, body.end(), "^\\s*%\\d+ : tensor = add %\\d+\\(d_w\\), %\\d+\\s+; line " + FOR + ", adjoint$");
        find(gradient, body.end(), "^\\s*yield %\\d+, %\\d+, %\\d+, %\\d+$");
        // Its results are the gradient returned (with the first slice's adjoint added to d_xs).
        Matcher dw = find(gradient, body.end(), "^\\s*%(\\d+)\\(d_w\\) : tensor = result\\[\\d\\] %" + reverse.group(1) + "\\s+; line " + FOR + ", adjoint$");
        find(gradient, dw.end(), "^\\s*return %\\d+, %\\d+\\(d_xs\\), %" + dw.group(1) + "\\(d_w\\)$");
    }

    @Test
    void withoutTheOptionThereIsNoIrNote() {
        Compilation c = Compiler.javac().withProcessors(new TapelessProcessor()).compile(RECURRENCE);
        assertThat(c).succeeded();
        assertTrue(c.notes().stream().noneMatch(d -> d.getMessage(Locale.ROOT).startsWith("Tapeless IR")), c.notes()::toString);
    }
}
