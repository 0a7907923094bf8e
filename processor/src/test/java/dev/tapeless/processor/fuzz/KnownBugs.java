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
