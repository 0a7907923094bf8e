package dev.tapeless.processor.opt;

import static dev.tapeless.processor.ir.Op.*;

import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;

/**
 * Local rewrites, applied as each node is rebuilt: constant folding over Java numbers and the
 * algebraic identities that the reverse pass produces in bulk ({@code g·1}, {@code x+0}, the
 * broadcast of a scalar one). A rewrite never changes a value's kind; identities that would
 * change NaN or infinity semantics ({@code x·0}) are not applied, and those that would only
 * change the sign of a zero ({@code x + 0} is {@code +0.0} for {@code x = -0.0}; {@code 0 - x} is
 * {@code +0.0} for {@code x = +0.0}) only in a reverse pass: a forward pass computes exactly what
 * the source does.
 */
final class Simplify {
    private Simplify() {}

    /** A simpler equivalent of {@code op(in)}, or null to keep it as it is. */
    static Node rewrite(Optimizer o, Op op, Attrs attrs, Node... in) {
        Kind kind = Graph.kindOf(op, attrs, in);
        Node folded = fold(o, op, attrs, kind, in);
        if (folded != null) return folded;
        boolean zeroSignFree = kind != Kind.SCALAR || o.makingAdjoint(); // ints have one zero; arrays as before
        switch (op) {
            case MUL:
                if (in[1].isConst(1) && in[0].kind() == kind) return in[0];
                if (in[0].isConst(1) && in[1].kind() == kind) return in[1];
                if (in[1].isConst(-1) && in[0].kind() == kind) return o.make(NEG, in[0]);
                if (in[0].isConst(-1) && in[1].kind() == kind) return o.make(NEG, in[1]);
                // A broadcast scalar times x is the product broadcast: shapes agree by construction.
                if (isBroadcastScalar(in[0])) return o.make(EXPAND_LIKE, o.make(MUL, in[1], in[0].in(0)), in[0].in(1));
                if (isBroadcastScalar(in[1])) return o.make(EXPAND_LIKE, o.make(MUL, in[0], in[1].in(0)), in[1].in(1));
                if (in[0].op() == NEG && in[1].op() == NEG) return o.make(MUL, in[0].in(0), in[1].in(0));
                return null;
            case DIV:
                if (in[1].isConst(1) && in[0].kind() == kind) return in[0];
                if (isBroadcastScalar(in[0])) return o.make(EXPAND_LIKE, o.make(DIV, in[0].in(0), in[1]), in[0].in(1));
                return null;
            case ADD:
                // p q + p q is p (q + q), exactly (doubling is exact): with q the operand known
                // first, the doubling is off the critical path (the adjoint of x * x is g (x + x)).
                if (in[0] == in[1] && in[0].op() == MUL && kind == Kind.SCALAR && in[0].kind() == kind) {
                    Node p = in[0].in(0).id() > in[0].in(1).id() ? in[0].in(0) : in[0].in(1);
                    Node q = p == in[0].in(0) ? in[0].in(1) : in[0].in(0);
                    if (p.kind() == kind && q.kind() == kind) return o.make(MUL, p, o.make(ADD, q, q));
                }
                if (isAdditiveIdentity(in[1], zeroSignFree) && in[0].kind() == kind) return in[0];
                if (isAdditiveIdentity(in[0], zeroSignFree) && in[1].kind() == kind) return in[1];
                // Negating an int or long can overflow before its promotion: only same-kind negations fold.
                if (in[1].op() == NEG && in[1].kind() == kind) return o.make(SUB, in[0], in[1].in(0));
                if (in[0].op() == NEG && in[0].kind() == kind && kind != Kind.TENSOR) {
                    return o.make(SUB, in[1], in[0].in(0)); // -a + b is b - a, exactly
                }
                return null;
            case SUB:
                if (in[1].isConst(0) && in[0].kind() == kind) return in[0];
                if (in[0].isConst(0) && in[1].kind() == kind && zeroSignFree) return o.make(NEG, in[1]);
                if (in[1].op() == NEG && in[1].kind() == kind) return o.make(ADD, in[0], in[1].in(0));
                return null;
            case NEG:
                if (in[0].op() == NEG) return in[0].in(0);
                if (isBroadcastScalar(in[0])) return o.make(EXPAND_LIKE, o.make(NEG, in[0].in(0)), in[0].in(1));
                return null;
            case POW:
                if (in[1].isConst(1) && in[0].kind() == kind) return in[0];
                // Math.pow(x, 2) is exactly x * x (fdlibm and HotSpot special-case it), and cheaper.
                if (in[1].isConst(2) && in[0].kind() == Kind.SCALAR) return o.make(MUL, in[0], in[0]);
                return null;
            case SUM_TO:
                if (in[0] == in[1]) return in[0];
                if (in[0].kind() != Kind.TENSOR && in[1].kind() != Kind.TENSOR) return in[0];
                return null;
            case EXPAND_LIKE:
                if (in[0] == in[1]) return in[0];
                return null;
            case UNREDUCE:
                // Spreading a broadcast number over like's shape is that number broadcast to like.
                if (isBroadcastScalar(in[0])) return o.make(EXPAND_LIKE, in[0].in(0), in[1]);
                return null;
            case SELECT:
                if (in[1] == in[2]) return in[1];
                return null;
            default:
                return null;
        }
    }

    /** {@code x + c} is {@code x} for every x when c is -0.0; for c = +0.0 all but x = -0.0. */
    private static boolean isAdditiveIdentity(Node c, boolean zeroSignFree) {
        return c.isConst(-0.0) || c.isConst(0) && zeroSignFree;
    }

    /** {@code EXPAND_LIKE(s, like)} for a Java number {@code s}: a filled array. */
    private static boolean isBroadcastScalar(Node n) {
        return n.op() == EXPAND_LIKE && n.in(0).kind() == Kind.SCALAR;
    }

    /**
     * Evaluates an op on constants at compile time, exactly as Java would at run time: doubles
     * with {@code java.lang.Math}, ints and longs with Java's wrapping arithmetic (a division by
     * zero is left to throw at run time), comparisons and selections on any of them.
     */
    private static Node fold(Optimizer o, Op op, Attrs attrs, Kind kind, Node... in) {
        if (in.length == 0) return null;
        for (Node n : in) if (n.op() != CONST || n.kind() == Kind.TENSOR) return null;
        if (op == SELECT) return in[0].attrs().number() != 0 ? in[1] : in[2];
        if (!attrs.text().isEmpty()) return null; // StrictMath: left to run time, where it is exact by definition
        double a = in[0].attrs().number();
        double b = in.length > 1 ? in[1].attrs().number() : 0;
        return switch (kind) {
            case SCALAR -> {
                Double v = foldDouble(op, a, b);
                yield v == null ? null : o.constant(v);
            }
            case BOOL -> switch (op) {
                case GE -> o.constant(a >= b ? 1 : 0, Kind.BOOL);
                case GT -> o.constant(a > b ? 1 : 0, Kind.BOOL);
                default -> null;
            };
            case INT -> {
                Long v = foldLong(op, (int) a, (int) b);
                yield v == null ? null : o.constant((int) v.longValue(), Kind.INT);
            }
            case LONG -> {
                Long v = foldLong(op, (long) a, (long) b);
                yield v == null ? null : o.constant(v, Kind.LONG);
            }
            default -> null;
        };
    }

    private static Double foldDouble(Op op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case NEG -> -a;
            case TO_DOUBLE -> a;
            case POW -> Math.pow(a, b);
            case ATAN2 -> Math.atan2(a, b);
            case HYPOT -> Math.hypot(a, b);
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            case EXP -> Math.exp(a);
            case EXPM1 -> Math.expm1(a);
            case LOG -> Math.log(a);
            case LOG10 -> Math.log10(a);
            case LOG1P -> Math.log1p(a);
            case SQRT -> Math.sqrt(a);
            case CBRT -> Math.cbrt(a);
            case SIN -> Math.sin(a);
            case COS -> Math.cos(a);
            case TAN -> Math.tan(a);
            case ASIN -> Math.asin(a);
            case ACOS -> Math.acos(a);
            case ATAN -> Math.atan(a);
            case SINH -> Math.sinh(a);
            case COSH -> Math.cosh(a);
            case TANH -> Math.tanh(a);
            case ABS -> Math.abs(a);
            case SIGN -> Math.signum(a);
            default -> null;
        };
    }

    /** Int arithmetic is done on ints by the caller's casts, so it wraps as Java's does. */
    private static Long foldLong(Op op, int a, int b) {
        return switch (op) {
            case ADD -> (long) (a + b);
            case SUB -> (long) (a - b);
            case MUL -> (long) (a * b);
            case DIV -> b == 0 ? null : (long) (a / b);
            case NEG -> (long) -a;
            case ABS -> (long) Math.abs(a);
            case MIN -> (long) Math.min(a, b);
            case MAX -> (long) Math.max(a, b);
            default -> null;
        };
    }

    private static Long foldLong(Op op, long a, long b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> b == 0 ? null : a / b;
            case NEG -> -a;
            case ABS -> Math.abs(a);
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            default -> null;
        };
    }
}
