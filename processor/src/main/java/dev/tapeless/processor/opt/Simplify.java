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
                // (-a)(-b) is ab, exactly, when both negations are in the product's kind: an int
                // negated before its promotion to double may have wrapped (-MIN_VALUE is MIN_VALUE).
                if (in[0].op() == NEG && in[1].op() == NEG && in[0].kind() == kind && in[1].kind() == kind) {
                    return o.make(MUL, in[0].in(0), in[1].in(0));
                }
                return null;
            case DIV:
                if (in[1].isConst(1) && in[0].kind() == kind) return in[0];
                if (isBroadcastScalar(in[0])) return o.make(EXPAND_LIKE, o.make(DIV, in[0].in(0), in[1]), in[0].in(1));
                return null;
            case ADD:
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
                // c ? true : false is c, c ? false : true is !c.
                if (kind == Kind.BOOL && in[1].isConst(1) && in[2].isConst(0)) return in[0];
                if (kind == Kind.BOOL && in[1].isConst(0) && in[2].isConst(1)) return o.make(NOT, in[0]);
                return null;
            case NOT:
                if (in[0].op() == NOT) return in[0].in(0);
                return null;
            case ZEROS_LIKE:
                // Zeros shaped like nothing (a local a branch or loop has not assigned yet) are nothing.
                if (in[0].op() == UNDEF) return in[0];
                return null;
            default:
                return null;
        }
    }

    /** {@code x + c} is {@code x} for every x when c is -0.0; for c = +0.0 all but x = -0.0. */
    private static boolean isAdditiveIdentity(Node c, boolean zeroSignFree) {
        return c.kind() != Kind.INT && c.kind() != Kind.LONG && c.isConst(-0.0) || c.isConst(0) && zeroSignFree;
    }

    /** {@code EXPAND_LIKE(s, like)} for a Java number {@code s}: a filled array. */
    private static boolean isBroadcastScalar(Node n) {
        return n.op() == EXPAND_LIKE && n.in(0).kind() == Kind.SCALAR;
    }

    /**
     * Evaluates an op on constants at compile time, exactly as Java would at run time: ints and
     * longs with Java's wrapping arithmetic (a division by zero is left to throw at run time),
     * mixed operands promoted as Java promotes them, doubles only by the operations whose result
     * Java specifies to the bit (arithmetic, {@code sqrt}, {@code abs}, {@code min}, {@code max},
     * {@code signum}; {@code Math.sin} and the like may differ by an ulp between JVMs, so they run
     * where the source's would), comparisons and selections on any of them.
     */
    private static Node fold(Optimizer o, Op op, Attrs attrs, Kind kind, Node... in) {
        if (in.length == 0) return null;
        for (Node n : in) if (n.op() != CONST || n.kind() == Kind.TENSOR) return null;
        if (op == SELECT) return convert(o, in[0].attrs().integer() != 0 ? in[1] : in[2], kind);
        if (!attrs.text().isEmpty()) return null; // StrictMath: left to run time, where it is exact by definition
        Node a = in[0];
        Node b = in.length > 1 ? in[1] : null;
        return switch (kind) {
            case SCALAR -> {
                Double v = foldDouble(op, a.attrs().number(), b == null ? 0 : b.attrs().number());
                yield v == null ? null : o.constant(v);
            }
            case BOOL -> {
                if (op == NOT) yield o.integer(a.attrs().integer() == 0 ? 1 : 0, Kind.BOOL);
                if (op == EQ) {
                    boolean eq = isInteger(a) && isInteger(b) || a.kind() == Kind.BOOL
                            ? a.attrs().integer() == b.attrs().integer()
                            : a.attrs().number() == b.attrs().number(); // NaN is unequal to itself, -0.0 equals 0.0
                    yield o.integer(eq ? 1 : 0, Kind.BOOL);
                }
                if (op != GE && op != GT) yield null;
                // Binary numeric promotion: two integers compare as longs, anything else as doubles.
                int c = isInteger(a) && isInteger(b)
                        ? Long.compare(a.attrs().integer(), b.attrs().integer())
                        : Double.isNaN(a.attrs().number()) || Double.isNaN(b.attrs().number()) ? -2
                        : a.attrs().number() < b.attrs().number() ? -1 : a.attrs().number() > b.attrs().number() ? 1 : 0;
                yield o.integer(op == GE ? (c >= 0 ? 1 : 0) : (c > 0 ? 1 : 0), Kind.BOOL);
            }
            case INT -> {
                if (op == TO_INT) yield o.integer(a.kind() == Kind.SCALAR ? (int) a.attrs().number() : (int) a.attrs().integer(), kind);
                Long v = foldInt(op, (int) a.attrs().integer(), b == null ? 0 : (int) b.attrs().integer());
                yield v == null ? null : o.integer(v, kind);
            }
            case LONG -> {
                if (op == TO_LONG) yield o.integer(a.kind() == Kind.SCALAR ? (long) a.attrs().number() : a.attrs().integer(), kind);
                Long v = foldLong(op, a.attrs().integer(), b == null ? 0 : b.attrs().integer());
                yield v == null ? null : o.integer(v, kind);
            }
            default -> null;
        };
    }

    private static boolean isInteger(Node n) {
        return n.kind() == Kind.INT || n.kind() == Kind.LONG;
    }

    /** A constant as a constant of {@code kind} by Java's widening; null if that is not one. */
    private static Node convert(Optimizer o, Node c, Kind kind) {
        if (c.kind() == kind) return c;
        if (kind == Kind.SCALAR && isInteger(c)) return o.constant(c.attrs().number()); // (double) of the exact value
        if (kind == Kind.LONG && c.kind() == Kind.INT) return o.integer(c.attrs().integer(), Kind.LONG);
        return null;
    }

    private static Double foldDouble(Op op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case NEG -> -a;
            case TO_DOUBLE -> a; // the constant's number is already its (double) conversion
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            case SQRT -> Math.sqrt(a);
            case ABS -> Math.abs(a);
            case SIGN -> Math.signum(a);
            default -> null;
        };
    }

    /** Int arithmetic on ints, so that it wraps as Java's does. */
    private static Long foldInt(Op op, int a, int b) {
        return switch (op) {
            case ADD -> (long) (a + b);
            case SUB -> (long) (a - b);
            case MUL -> (long) (a * b);
            case DIV -> b == 0 ? null : (long) (a / b);
            case REM -> b == 0 ? null : (long) (a % b);
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
            case REM -> b == 0 ? null : a % b;
            case NEG -> -a;
            case ABS -> Math.abs(a);
            case MIN -> Math.min(a, b);
            case MAX -> Math.max(a, b);
            default -> null;
        };
    }
}
