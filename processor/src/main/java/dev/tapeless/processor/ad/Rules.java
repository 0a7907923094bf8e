package dev.tapeless.processor.ad;

import static dev.tapeless.processor.ir.Op.*;

import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;

import java.util.EnumMap;
import java.util.Map;

/**
 * The derivative rules: for each primitive {@code y = op(x0, x1, ...)}, the adjoint of each
 * operand given the adjoint {@code g} of {@code y}, written as IR. One entry per op; this table is
 * the only place that knows calculus. Ops without an entry have a zero derivative almost
 * everywhere ({@code sign}, {@code step}, comparisons) or are not differentiable (integers).
 *
 * <p>Binary elementwise ops broadcast, so each operand's adjoint is summed back to its shape
 * ({@code sumTo}); when shapes agree at run time that is free.
 *
 * <p>Kinks and ties, defined once here: {@code abs'(0) = 0} and {@code relu'(0) = 0};
 * {@code max(a, b)} and {@code min(a, b)} give the whole adjoint to {@code a} when {@code a == b};
 * {@code c ? a : b} gives it to the operand taken, and none to the condition. Both operands of
 * {@code ?:} are computed in the forward pass, but the adjoint of the one not taken is exactly zero:
 * the reverse pass computes it only where that operand is taken ({@code Gates}), so a non-finite
 * value in the operand not taken does not reach the gradient (it would as NaN, {@code 0 * inf}).
 * Elsewhere the rules are the textbook derivatives, evaluated where they are defined:
 * {@code sqrt}, {@code cbrt}, {@code log}, {@code asin}, {@code acos} at the edges of their domains
 * give infinities or NaN, as the derivative does; {@code pow(x, p)} differentiated in {@code p}
 * needs {@code x > 0}.
 */
public final class Rules {

    /** The adjoint of one operand: {@code y} is the primal node, {@code g} its adjoint. */
    @FunctionalInterface
    public interface Partial {
        Node adjoint(Node y, Node g, Algebra b);
    }

    private static final Map<Op, Partial[]> TABLE = new EnumMap<>(Op.class);

    /** For an operand that is never active (a boolean): the reverse pass never asks for it. */
    private static final Partial NO_ADJOINT = (y, g, b) -> {
        throw new IllegalStateException(y.op() + " has no adjoint for its operand of kind boolean");
    };

    private static void rule(Op op, Partial... partials) {
        if (partials.length != op.arity()) throw new IllegalStateException("rule arity for " + op);
        TABLE.put(op, partials);
    }

    static {
        // Arithmetic.                 d/dx0                                   d/dx1
        rule(ADD, (y, g, b) -> b.sumTo(g, y.in(0)),
                  (y, g, b) -> b.sumTo(g, y.in(1)));
        rule(SUB, (y, g, b) -> b.sumTo(g, y.in(0)),
                  (y, g, b) -> b.sumTo(b.neg(g), y.in(1)));
        rule(MUL, (y, g, b) -> b.sumTo(b.mul(g, y.in(1)), y.in(0)),
                  (y, g, b) -> b.sumTo(b.mul(g, y.in(0)), y.in(1)));
        rule(DIV, (y, g, b) -> b.sumTo(b.div(g, y.in(1)), y.in(0)),                 // g / x1
                  (y, g, b) -> b.sumTo(b.neg(b.mul(b.div(g, y.in(1)), y)), y.in(1))); // -(g / x1) y: one division for both
        rule(POW, (y, g, b) -> y.in(1).isConst(0) || y.in(1).isConst(-0.0) ? b.zerosLike(y.in(0)) // x^±0 is 1, at 0 too
                             : b.sumTo(b.mul(g, b.mul(y.in(1),                        // g p x^(p-1)
                                  b.op(POW, y.in(0), b.sub(y.in(1), b.c(1))))), y.in(0)),
                  (y, g, b) -> b.sumTo(b.mul(b.mul(g, y), b.op(LOG, y.in(0))), y.in(1))); // g y ln x
        rule(NEG, (y, g, b) -> b.neg(g));

        // Elementwise functions.
        rule(EXP, (y, g, b) -> b.mul(g, y));
        rule(EXPM1, (y, g, b) -> b.mul(g, b.add(y, b.c(1))));
        rule(LOG, (y, g, b) -> b.div(g, y.in(0)));
        rule(LOG1P, (y, g, b) -> b.div(g, b.add(y.in(0), b.c(1))));
        rule(LOG10, (y, g, b) -> b.div(g, b.mul(y.in(0), b.c(Math.log(10)))));
        rule(SQRT, (y, g, b) -> b.div(g, b.mul(y, b.c(2))));
        rule(CBRT, (y, g, b) -> b.div(g, b.mul(b.square(y), b.c(3))));
        rule(ABS, (y, g, b) -> b.mul(g, b.op(SIGN, y.in(0))));                 // abs'(0) = 0
        // relu'(0) = 0. From relu's output, positive exactly where its input is (NaN: neither): a
        // layer's reverse pass reads the activations it keeps for the next product anyway, and the
        // pre-activations need not be kept at all.
        rule(RELU, (y, g, b) -> b.mul(g, b.op(STEP, y)));
        rule(SIN, (y, g, b) -> b.mul(g, b.op(COS, y.in(0))));
        rule(COS, (y, g, b) -> b.neg(b.mul(g, b.op(SIN, y.in(0)))));
        rule(TAN, (y, g, b) -> b.mul(g, b.add(b.c(1), b.square(y))));
        rule(ASIN, (y, g, b) -> b.div(g, b.op(SQRT, b.sub(b.c(1), b.square(y.in(0))))));
        rule(ACOS, (y, g, b) -> b.neg(b.div(g, b.op(SQRT, b.sub(b.c(1), b.square(y.in(0)))))));
        rule(ATAN, (y, g, b) -> b.div(g, b.add(b.c(1), b.square(y.in(0)))));
        rule(SINH, (y, g, b) -> b.mul(g, b.op(COSH, y.in(0))));
        rule(COSH, (y, g, b) -> b.mul(g, b.op(SINH, y.in(0))));
        rule(TANH, (y, g, b) -> b.mul(g, b.sub(b.c(1), b.square(y))));
        rule(SIGMOID, (y, g, b) -> b.mul(g, b.mul(y, b.sub(b.c(1), y))));
        // atan2(u, v): g v / (u²+v²) and -g u / (u²+v²), as g (v/h)/h and -g (u/h)/h with h = hypot(u, v):
        // u² + v² overflows from |u| ≈ 1e154 and underflows below 1e-162, where h and these quotients do not.
        rule(ATAN2, (y, g, b) -> b.mul(g, b.div(b.div(y.in(1), hypot(y, b)), hypot(y, b))),
                    (y, g, b) -> b.neg(b.mul(g, b.div(b.div(y.in(0), hypot(y, b)), hypot(y, b)))));
        rule(HYPOT, (y, g, b) -> b.mul(g, b.div(y.in(0), y)),
                    (y, g, b) -> b.mul(g, b.div(y.in(1), y)));
        // c ? a : b: the adjoint goes to the operand taken; the condition has none (it is a boolean).
        rule(SELECT, NO_ADJOINT,
                     (y, g, b) -> b.op(SELECT, y.in(0), g, b.c(0)),
                     (y, g, b) -> b.op(SELECT, y.in(0), b.c(0), g));
        // Ties go to the first operand: max(a, a) passes the whole adjoint to a.
        rule(MAX, (y, g, b) -> b.op(SELECT, b.op(GE, y.in(0), y.in(1)), g, b.c(0)),
                  (y, g, b) -> b.op(SELECT, b.op(GE, y.in(0), y.in(1)), b.c(0), g));
        rule(MIN, (y, g, b) -> b.op(SELECT, b.op(GE, y.in(1), y.in(0)), g, b.c(0)),
                  (y, g, b) -> b.op(SELECT, b.op(GE, y.in(1), y.in(0)), b.c(0), g));

        // Tensor structure.
        rule(SUM, (y, g, b) -> b.unreduce(g, y.in(0), y.attrs()));
        rule(MEAN, (y, g, b) -> b.div(b.unreduce(g, y.in(0), y.attrs()), b.op(COUNT, y.attrs(), y.in(0))));
        rule(MMUL, (y, g, b) -> b.op(MMUL_GRAD_LEFT, g, y.in(0), y.in(1)),            // g · bᵀ
                   (y, g, b) -> b.op(MMUL_GRAD_RIGHT, g, y.in(0), y.in(1)));          // aᵀ · g
        rule(TRANSPOSE, (y, g, b) -> b.op(TRANSPOSE, b.asArray(g, y)));
        rule(RESHAPE, (y, g, b) -> b.op(RESHAPE_LIKE, b.asArray(g, y), y.in(0)));
        rule(EXPAND, (y, g, b) -> b.sumTo(g, y.in(0)));
        rule(SLICE, (y, g, b) -> b.op(UNSLICE, b.asArray(g, y), y.in(0), y.in(1)),            // g into zeros at i
                    NO_ADJOINT);
        rule(SOFTMAX, (y, g, b) -> {                                                 // y (g - Σ g y)
            int dim = y.attrs().ints().get(0);
            return b.mul(y, b.sub(g, b.sumKeep(b.mul(g, y), dim)));
        });
        rule(LOG_SOFTMAX, (y, g, b) -> {                                             // g - exp(y) Σ g
            int dim = y.attrs().ints().get(0);
            return b.sub(g, b.mul(b.op(EXP, y), b.sumKeep(b.asArray(g, y), dim)));
        });
    }

    private static Node hypot(Node y, Algebra b) {
        return b.op(HYPOT, y.in(0), y.in(1));
    }

    private Rules() {}

    /**
     * The partials of a call of a function that is not inlined ({@link dev.tapeless.processor.ir.Callee}):
     * the adjoint of parameter k is the callee's own (its custom derivative, {@code CALL_ADJOINT}; or a
     * component of its companion's gradient record, {@code CALL_GRADIENT}), from the call's arguments
     * and the adjoint of its value, an array when the value is one. A parameter the callee is not
     * differentiated with respect to has none: its partial throws {@link MissingDerivative}, which
     * the reverse pass asks for only when the argument is active.
     */
    static Partial[] call(Node call) {
        dev.tapeless.processor.ir.Callee callee = call.attrs().callee();
        Partial[] out = new Partial[call.inputs().size()];
        for (int k = 0; k < out.length; k++) {
            int parameter = k;
            out[k] = (y, g, b) -> {
                if (!callee.differentiates(parameter)) throw new MissingDerivative(y, parameter);
                Node[] in = new Node[y.inputs().size() + 1];
                for (int i = 0; i < y.inputs().size(); i++) in[i] = y.in(i);
                in[in.length - 1] = b.asArray(g, y);
                dev.tapeless.processor.ir.Attrs attrs = dev.tapeless.processor.ir.Attrs.call(callee, parameter);
                Node d = callee.way() == dev.tapeless.processor.ir.Callee.Way.CUSTOM
                        ? b.op(CALL_ADJOINT, attrs, in)
                        // one gradient record for all the parameters (the optimizer makes it once), read per parameter
                        : b.op(CALL_COMPONENT, attrs, b.named(b.op(CALL_GRADIENT,
                                dev.tapeless.processor.ir.Attrs.call(callee, 0), in), callee.method() + "Gradient"));
                b.named(d, "d_" + callee.method() + "_" + callee.params().get(parameter).name());
                Broken broke = broken;
                return broke != null && broke.op == CALL && broke.operand == parameter ? b.mul(d, b.c(broke.factor)) : d;
            };
        }
        return out;
    }

    /**
     * A call's argument that depends on a differentiated parameter, passed for a parameter the
     * callee is not differentiated with respect to: the caller's derivative cannot be had.
     */
    public static final class MissingDerivative extends RuntimeException {
        private final transient Node call;
        private final int parameter;

        MissingDerivative(Node call, int parameter) {
            super("no derivative of " + call.attrs().callee().shortName() + " with respect to parameter " + parameter);
            this.call = call;
            this.parameter = parameter;
        }

        public Node call() {
            return call;
        }

        public int parameter() {
            return parameter;
        }
    }

    /** The partials of {@code op}, or null when it has no derivative to propagate. */
    static Partial[] of(Op op) {
        Partial[] partials = TABLE.get(op);
        Broken b = broken;
        if (b == null || b.op != op || partials == null) return partials;
        Partial[] mutated = partials.clone();
        Partial right = partials[b.operand];
        mutated[b.operand] = (y, g, alg) -> alg.mul(right.adjoint(y, g, alg), alg.c(b.factor));
        return mutated;
    }

    /** Every op that has a rule, with its number of operands. */
    public static Map<Op, Integer> table() {
        Map<Op, Integer> out = new EnumMap<>(Op.class);
        TABLE.forEach((op, partials) -> out.put(op, partials.length));
        return out;
    }

    private record Broken(Op op, int operand, double factor) {}

    private static volatile Broken broken;

    /**
     * For the tests that break each rule on purpose and check that a gradient check catches it:
     * until the returned handle is closed, the adjoint of {@code op}'s operand {@code operand} is
     * multiplied by {@code factor} in every method the processor differentiates (in this JVM). For
     * {@code CALL}, the adjoint of a called function's parameter {@code operand}.
     */
    public static AutoCloseable breakForTesting(Op op, int operand, double factor) {
        if (op != CALL && (!TABLE.containsKey(op) || operand < 0 || operand >= TABLE.get(op).length)) {
            throw new IllegalArgumentException("no rule for operand " + operand + " of " + op);
        }
        broken = new Broken(op, operand, factor);
        return () -> broken = null;
    }

    /** Whether {@code op} has a rule (a forward op the frontend may emit on a differentiated path). */
    public static boolean isDifferentiable(Op op) {
        return TABLE.containsKey(op);
    }
}
