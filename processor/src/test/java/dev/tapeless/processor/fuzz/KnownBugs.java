package dev.tapeless.processor.fuzz;

/**
 * Constructs the generator avoids, one switch per known, still open processor bug (issue 8), so
 * that the fixed-seed CI run stays green while the fix is under way. Each switch names the bug;
 * when its fix lands, set it to {@code false} (and delete it once the run is green): the fuzzer
 * then generates the construct again, and the CI run proves the fix.
 *
 * <p>{@code true} means "the bug is still open: do not generate the construct". Every switch can
 * also be flipped for one run with {@code -Dtapeless.fuzz.bugs=NAME=false,...} (see
 * {@link #configure}), to check a branch that fixes it.
 */
final class KnownBugs {
    private KnownBugs() {}

    /** Issue 8 A1: int to long widening dropped (long locals from int values, long callee parameters given ints, compound assignment on longs). */
    static boolean INT_TO_LONG_WIDENING = false;

    /**
     * Issue 8 B: parameters or locals named like a type the companion uses (Math, Kernels,
     * Transforms, ...) or like the class itself break the companion ("long cannot be
     * dereferenced", "cannot find symbol").
     */
    static boolean TYPE_NAMES_AS_VARIABLES = false;

    /** Issue 8 B: differentiated parameters named hashCode, toString, wait, getClass ... ("illegal record component name"). */
    static boolean RECORD_COMPONENT_NAMES = false;

    /** Issue 8 B: annotated methods f and F, f and fGradient, fooBar and foo_bar in one class (clashing generated names). */
    static boolean CLASHING_METHOD_NAMES = false;

    /** Issue 8 C: {@code int n; n -= 2L;} or {@code n *= 1.5} (implicit narrowing) rejected as "cast to int is not supported". */
    static boolean COMPOUND_NARROWING = false;

    /**
     * Issue 8 A2: integer constants go through double ({@code b * -9223372036854775807L} with a long
     * {@code b} multiplies by -2^63; {@code (W + W) * W} of a long field W folds with rounding): int
     * and long literals and static final fields stay small (|int| < 1291, |long| < 131073).
     */
    static boolean INTEGER_CONSTANTS_AS_DOUBLES = false;

    /** Issue 8 A8: atan2's adjoint divides by u^2 + v^2 (NaN or infinity for huge or tiny arguments): only moderate magnitudes. */
    static boolean ATAN2_ADJOINT_SCALE = false;

    /**
     * Issue 8 A2 (another face): int constants folded as doubles lose Java's int zero, which has no
     * sign: inlining {@code f(0, x)} of {@code -k * -1e-3 * x} gives 0.0 where Java gives -0.0. The
     * forward check treats 0.0 and -0.0 as equal while this is open.
     */
    static boolean SIGNED_ZERO_FROM_INT_FOLDING = false;

    /**
     * New: atan2 with an int argument ({@code Math.atan2(65536, x)}): the adjoint squares the int
     * in int arithmetic (65536 * 65536 overflows to 0), d/dx = -42622 instead of -1.5e-5. The
     * generator gives atan2 only double arguments.
     */
    static boolean ATAN2_INT_ARGUMENT = false;

    /**
     * New: the generated forward softmax (ND4J's {@code Nd4j.nn.softmax}) rounds differently from
     * the tape's, so the sum of a softmax along its axis is 1 + 2e-16, not 1, and the adjoint
     * {@code y (g - sum g y)} of a constant-sum path is ~1e-17 instead of 0; a steep function
     * downstream (derivative ~1e133) turns that into a gradient of 9e118 where the tape and finite
     * differences give 0. The generator does not reduce a softmax directly.
     */
    static boolean SOFTMAX_THEN_SUM = true;

    /** Issue 8 A6: logSoftmax along the last axis is not max-shifted: no logits in the hundreds. */
    static boolean LARGE_LOGITS = false;

    /**
     * Issue 8 A3: a {@code ?:} with a constant condition loses the promotion to double:
     * {@code (-3L < 1099511627776L ? 1 : 1.0) / c} with int c = -10 gives 0 instead of -0.1. The
     * generator casts mixed-type branches to double.
     */
    static boolean FOLDED_CONDITIONAL_PROMOTION = false;

    /** Issue 8 A5: a Vjp re-reads mutable static fields at pullback time (the check is skipped). */
    static boolean VJP_REREADS_MUTABLE_STATICS = false;

    // Control flow (found by the fuzzer's branches and loops, on 6dd2481).

    /**
     * A local or parameter whose name starts with {@code $} (legal Java) is taken for one of the
     * frontend's flags ({@code $ret}, {@code $brk1}, ...) and not carried through a loop that assigns
     * it: {@code for (int i = 0; i < 3; i++) $x = $x * 2.0; return $x;} returns $x unchanged (1.5
     * instead of 12.0, gradient 1 instead of 8). The generator names nothing {@code $...}.
     */
    static boolean DOLLAR_NAMES_IN_LOOPS = false;

    /**
     * {@code n %= 3} on an int or long local is rejected ("operator '%=' is not supported ...; use
     * + - * / and unary -", which is also out of date: % is supported). The generator writes no %=.
     */
    static boolean REMAINDER_ASSIGNMENT = false;

    /**
     * A tensor method with a return inside a loop, or inside an if whose other branch falls
     * through and that is itself inside an if (or an else if), followed by a later return: its
     * Gradient and Vjp's pullback throw a NullPointerException in Kernels.zerosLike (the adjoint of
     * the result on the path that did not return is taken from null). The generator writes returns
     * in tensor methods only directly in the branches of a top-level if, outside loops; the same
     * exception from a mutant (at Layout.of) is counted as a known bug.
     */
    static boolean NESTED_RETURN_IN_TENSOR_METHOD = false;

    /**
     * A loop through which a double's adjoint passes unchanged: the double starts from a value
     * that depends on a parameter and the loop only adds to it something that does not depend on
     * it ({@code for (int i = 0; i < 3; i++) x += q; return x;}, or {@code x += 1.0} beside other
     * work; for a tensor, {@code h = h} in a branch in the loop): the optimizer fails ("Tapeless
     * failed on 'f' (a bug in Tapeless ...): NullPointerException ... at Optimizer.copy"). The
     * generator writes {@code v += e}, {@code v -= e} and {@code v = v + e} in a loop only on a
     * double whose value on entry to the loop depends on no double parameter (as {@code double s
     * = 0.0} does), and no {@code h = h}.
     */
    static boolean UNCHANGED_LOOP_ADJOINT = false;

    /**
     * A loop inside an if inside a do-while loop, or inside a while loop whose condition has a
     * side effect ({@code while (i++ < 7) { if (i >= 6) { for (...) x = x * 2.0; } }}), or after an
     * {@code if (...) break;} in one: "Tapeless failed ...: NullPointerException ... at
     * BodyReader.restore" (the inner loop removes the outer loop's pseudo-local $go, which the
     * if's branches then restore). The generator writes no loop inside such a loop.
     */
    static boolean LOOP_IN_BRANCH_OF_ROTATED_LOOP = false;

    /**
     * A tensor method's Vjp keeps the layout of an array computed in one branch of an if, and
     * throws a NullPointerException in Layout.of when that branch did not run: {@code if (t > 0)
     * return w.relu().sum(); else return x.exp().sum();} (gVjp(x, -1.0, w) calls
     * Layout.of(relu) with relu null), or {@code if (n < 0) { Variable d = u.expand(3); if (n > 1) {
     * u = u.cos(); Variable e = d.sum().sub(u); } } return u.sum();} at a scalar u and n = 4. While
     * this is on, a NullPointerException at Layout.of is counted as a known bug, not a finding
     * (for a Vjp, the method's forward pass and Gradient are checked before).
     */
    static boolean BRANCH_LAYOUT_IN_VJP = false;

    /**
     * A loop whose body ends in an unconditional break and whose condition has a side effect read
     * after the loop ({@code while (--i > 0) { x = x * 2.0; break; } return x * i;}): "Tapeless
     * failed ...: NullPointerException ... at Optimizer.copy". The generator ends no body of such
     * a loop with a bare break.
     */
    static boolean BREAK_ENDS_ROTATED_LOOP = false;

    /**
     * A gated adjoint (of {@code ?:}, Math.max or Math.min) after an if or a loop that assigned
     * what it reads: the reverse pass declares the gated adjoint's values inside {@code if (gate)
     * { ... }} and the reverse of the earlier if or loop reads them after it, so the companion does
     * not compile ("cannot find symbol d_x"): {@code if (y > 10) x = x * 2; return Math.max(0.5, q
     * * x);}, or {@code if (n > x) x *= 1.5; return x + (n > 5 ? x / -x : 0.5);}. The generator
     * writes no {@code ?:} of doubles, max or min after or inside an if or a loop; nor before one
     * ({@code double h = b ? x : 2.0;} then a loop has the same fault): a method (and what it
     * calls) has either branches and loops, or these.
     */
    static boolean GATED_ADJOINT_AFTER_REGION = false;

    /**
     * A call, in a branch of {@code ?:} (or the right of && or ||), to a method whose statements
     * divide integers: the companion runs the callee's statements whether or not the branch is
     * taken, so a division by zero Java never performs throws ({@code static double g(long r, int
     * s) { r /= s % 2; return 0.5 * r; }} and {@code b ? g(s, s) : x} at s = 8, b = false: the
     * source returns x, the companion throws ArithmeticException). The generator calls no such
     * method there.
     */
    static boolean EAGER_CALLEE_IN_CONDITIONAL = false;

    /**
     * A mutable static field read in a branch of an if (or after an if that returns, whose rest
     * is read into a branch): the Gradient and the Vjp declare a local of the field's name for
     * the reverse pass, initialized to 0.0 and never assigned, which shadows the field, so both
     * the value and the gradient are wrong ({@code static double K = 2.0;} and {@code double y =
     * x; if (n > 0) y = K * x; return y;} at x = 1.5, n = 1: fGradient gives value 0.0 and d/dx 0.0
     * instead of 3.0 and 2.0; the forward pass alone is right). The generator reads mutable fields
     * (and calls methods that do) only before the method's first if or loop.
     */
    static boolean MUTABLE_FIELD_IN_BRANCH = false;

    /**
     * The optimizer's crash on loops ("Tapeless failed on 'f' ...: NullPointerException: Cannot
     * invoke "java.lang.Integer.intValue()" ... at Optimizer.copy(Optimizer.java:83)") has more
     * triggers than the two the generator avoids ({@link #UNCHANGED_LOOP_ADJOINT}, {@link
     * #BREAK_ENDS_ROTATED_LOOP}), for example a dead tensor local in a loop that reassigns another:
     * {@code for (int i = 0; i < 2; i++) { Variable g = l.sigmoid(); n = d.sqrt(); } return
     * n.sum();}. While this is on, that internal error is counted as a known bug (in the run's
     * summary), not a finding; the program is then not checked.
     */
    static boolean OPTIMIZER_COPY_CRASH = false;

    /**
     * "Tapeless failed ...: IllegalStateException: node used before it is defined: %5" (at
     * BodyWriter.ref), mostly around an if whose condition is known at compile time: {@code if (y <
     * 0) return y; if (x < 0.5) { if (0 >= 5) return x; } return 0.75;}, or in a tensor method
     * {@code if (Math.cos(2.0) >= 8) { } else if (6 < Math.atan2(s, 2.0)) { } else if (6 % 4 != 2)
     * { p = p.cos(); } return p.sum();}; also after a loop whose body always returns: {@code for
     * (int i = -2; 2 >= i; i = i + 1) { if (i % 3L < i) { beta /= u; u = 2.5; } return
     * -Math.exp(beta); } u = beta; return Math.cbrt(u);}. The generator writes no if on a condition
     * that reads only literals and static final fields, and counts this internal error as a known
     * bug (in the run's summary), not a finding.
     */
    static boolean CONSTANT_IF_CONDITION = false;

    /**
     * A loop that copies a local and then changes the original: {@code double z = 0.0; for (int i
     * = 0; i < 3; i++) { z = x; x *= 0.25; } return z;} returns 0.015625 instead of 0.0625 at x =
     * 1 (the companion assigns the loop-carried copy z after x's new value, not before: a lost
     * copy), in the forward pass, the Gradient and the Vjp alike. The generator assigns no bare
     * name in a loop.
     */
    static boolean LOOP_LOST_COPY = false;

    /**
     * An if whose branches only copy values ({@code if (q < 10) x = y; return x;}) has no reverse
     * pass at all: every gradient through its result is 0 (here d/dy = 0 at q = 3 and d/dx = 0 at q
     * = 30, where 1 is right), in doubles and tensors alike ({@code if (q < 10) rhs = tmp; return
     * rhs.sum();}). A branch that also computes something is right. The generator assigns no bare
     * name in a branch.
     */
    static boolean COPY_ONLY_BRANCH = false;

    /**
     * A face of {@link #CONSTANT_IF_CONDITION} that is still open: a loop that overwrites a double
     * with a value computed from something else, then an if whose condition folds to false (a
     * literal, a static final, or {@code (w) < w}) and whose branch reads that double: "Tapeless
     * failed on 'f' ...: IllegalStateException: node used before it is defined: %8(a)" (at
     * BodyWriter.ref, from writeLoop): {@code for (int i = 0; i < 3; i++) a = x * 2; if (false) x -=
     * a; return x;} with {@code double x, double a}. (Not with {@code a = a * 2} or {@code a = 2.0}
     * in the loop.) While this is on, the generator writes no if on a condition that reads only
     * constants or compares a value with itself, and counts this internal error as a known bug (in
     * the run's summary), not a finding.
     */
    static boolean CONSTANT_IF_AFTER_LOOP = false; // fixed on main (controlflow/Found.java)

    // Arrays (found by the fuzzer's arrays, on 87f76c8).

    /**
     * A differentiated {@code double[]} parameter that the result does not depend on gets the
     * gradient component {@code 0.0} instead of {@code new double[w.length]}, so the companion does
     * not compile ("incompatible types: double cannot be converted to double[]", in fGradient and in
     * the Vjp's pullback): {@code @Differentiable static double f(double[] w, double x) { return x *
     * x; }}. The generator reads every differentiated, non-empty double[] parameter in a method's
     * last return, and leaves out of {@code wrt} one whose elements the method never reads (when
     * another parameter is left to differentiate); such a companion error (a parameter read only
     * where it does not reach the result) is counted as a known bug (in the run's summary), not a
     * finding.
     */
    static boolean UNREACHED_ARRAY_PARAMETER = false; // fixed on main (controlflow/Found.java)

    /**
     * An array local declared at the top level of the body after an if or a loop that may return
     * is rejected as "created inside a branch or loop" (the frontend reads the rest of the body
     * into the branch that does not return): {@code if (x > 1) return x; double[] v = {x, 2 * x};
     * return v[1];} ("array local 'v' is created inside a branch or loop; create it before, at the
     * top level of the method"), and likewise after {@code for (...) { if (x > i) return x; }}. The
     * generator declares no array after a statement that returns.
     */
    // Now a documented limitation: ARRAY_IN_REGION's message names this place (an array after a
    // statement that may return, or in a method called from a branch or loop); the generator still avoids it.
    static boolean ARRAY_AFTER_RETURN = true;

    /**
     * A call to a method that creates a local array, made anywhere but at the top level of the
     * caller's body (in a branch or loop, in a branch of {@code ?:}, on the right of && or ||, or
     * after an if or loop that may return), is rejected: the callee's array, inlined there, counts
     * as "created inside a branch or loop", and the message blames the callee, which has no error
     * ({@code static double f(double x) { double[] h = {x, x * x}; return h[1]; }} and {@code if (x
     * > 0) return f(x);}: "cannot inline 'f': its body has an error, reported there (array local
     * 'h' is created inside a branch or loop ...)"). The generator calls such a method only at the
     * top level, before any return.
     */
    // Now a documented limitation: ARRAY_IN_REGION's message names this place (an array after a
    // statement that may return, or in a method called from a branch or loop); the generator still avoids it.
    static boolean CALLEE_ARRAY_IN_REGION = true;

    /**
     * A local double array whose elements depend on no differentiated parameter yet, written in a
     * branch of an if outside any loop with a value that does, loses that dependence: the gradient
     * through the element is 0. {@code double[] k = {1.0}; if (t < 1) k[0] = x * 2; return k[0];}
     * at x = 1.5, t = 0.5: fGradient (and the Vjp's pullback) give d/dx = 0.0 instead of 2.0 (the
     * value, 3.0, is right); likewise {@code k[0] += x}, {@code k[0] *= x}, {@code k[0] = x * y[0]}
     * with y data, or a write in the else branch. Right when the array already depends on x
     * ({@code double[] k = {x};}), when the branch reads a differentiated array ({@code k[0] = x[0] *
     * 2} with double[] x), or when a loop encloses the write (inside or around the if). The
     * generator writes a double array in a branch outside loops only after it was made or written
     * at the top level with a value that reads a differentiated parameter.
     */
    static boolean INACTIVE_ARRAY_IN_BRANCH = false; // fixed on main (controlflow/Found.java)

    /**
     * A mutant (javac rejects it: "variable v is already defined") that declares an enhanced for's
     * variable again in an enhanced for nested in an if inside the first: {@code for (double v : x)
     * { if (h > 0) { for (double v : x) h = h * v; } }} makes the processor fail ("Tapeless failed on
     * 'f' ...: NullPointerException: Cannot assign field "value" ... at BodyReader.lambda$restore")
     * where it should leave the error to javac (without the if, it does). Generated programs never
     * redeclare a name; while this is on, that internal error is counted as a known bug.
     */
    static boolean REDECLARED_FOREACH_VARIABLE = false; // fixed on main (controlflow/Found.java)

    // Found with other seeds of the fuzzer (not arrays).

    /**
     * In a loop whose reverse pass runs (another carried value is differentiated), the adjoint of a
     * carried value that does not reach the result is still propagated backwards, so 0 times a
     * local derivative that overflowed gives NaN where the contract says zeros: {@code for (int i =
     * 0; i < 3; i++) { r = 1e300 / (r * r * (r * r) + 0.25); g = Math.sin(g); } return g;} with
     * {@code double g, double r}: hGradient(1.0, 0.2).r() is NaN instead of 0.0; the same in a tensor
     * method ({@code r = r.mul(r).mul(r.mul(r)).add(0.25).rdiv(1e300); g = g.sin();}). Finite
     * differences give no verdict on a NaN; against the tape, while this is on, a tensor gradient
     * element that is NaN or infinite where the tape gives exactly 0 and finite differences are
     * flat is counted as a known bug (the method's check stops there).
     */
    static boolean DEAD_ADJOINT_IN_LOOP = false; // fixed on main (controlflow/Found.java)

    /**
     * A do loop whose body always returns (it cannot complete normally, so nothing follows it: javac
     * accepts the method without a return after it) is rejected: {@code int i = 0; do { i++; return
     * x * 2; } while (i < 3);} as the whole body of {@code double f(double x)} gives "@Differentiable
     * method 'f' must return a value on every path; end it with a return statement" (also with {@code
     * if (x > 1) return x * 2; else return x;} as the body's end; a while loop is fine). The fuzzer
     * took this error for the documented MEMBER_CLASH (both start "@Differentiable method '"), so it
     * went unseen. The generator writes no do loop that cannot complete normally.
     */
    static boolean DO_ALWAYS_RETURNS = false; // fixed on main (controlflow/Found.java)

    /** Parses {@code NAME=true|false,...} and sets the switches. */
    static void configure(String spec) {
        if (spec == null || spec.isBlank()) return;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=");
            try {
                KnownBugs.class.getDeclaredField(kv[0].trim()).setBoolean(null, Boolean.parseBoolean(kv[1].trim()));
            } catch (ReflectiveOperationException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("unknown known-bug switch in '" + part + "'", e);
            }
        }
    }

    /** Every switch and its value, for the run's log. */
    static String describe() {
        StringBuilder sb = new StringBuilder();
        for (java.lang.reflect.Field f : KnownBugs.class.getDeclaredFields()) {
            if (f.getType() != boolean.class) continue;
            try {
                sb.append(sb.length() > 0 ? " " : "").append(f.getName()).append('=').append(f.getBoolean(null));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return sb.toString();
    }
}
