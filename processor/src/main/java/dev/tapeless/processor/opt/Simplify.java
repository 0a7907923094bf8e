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
 * change NaN or infinity semantics ({@code x·0}) are not applied.
 */
final class Simplify {
    private Simplify() {}

    /** A simpler equivalent of {@code op(in)}, or null to keep it as it is. */
    static Node rewrite(Optimizer o, Op op, Attrs attrs, Node... in) {
        Kind kind = Graph.kindOf(op, attrs, in);
        Node folded = fold(o, op, kind, in);
        if (folded != null) return folded;
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
                if (in[1].isConst(0) && in[0].kind() == kind) return in[0];
                if (in[0].isConst(0) && in[1].kind() == kind) return in[1];
                if (in[1].op() == NEG) return o.make(SUB, in[0], in[1].in(0));
                return null;
            case SUB:
                if (in[1].isConst(0) && in[0].kind() == kind) return in[0];
                if (in[0].isConst(0) && in[1].kind() == kind) return o.make(NEG, in[1]);
                if (in[1].op() == NEG) return o.make(ADD, in[0], in[1].in(0));
                return null;
            case NEG:
                if (in[0].op() == NEG) return in[0].in(0);
                if (isBroadcastScalar(in[0])) return o.make(EXPAND_LIKE, o.make(NEG, in[0].in(0)), in[0].in(1));
                return null;
            case POW:
                if (in[1].isConst(1) && in[0].kind() == kind) return in[0];
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

    /** {@code EXPAND_LIKE(s, like)} for a Java number {@code s}: a filled array. */
    private static boolean isBroadcastScalar(Node n) {
        return n.op() == EXPAND_LIKE && n.in(0).kind() == Kind.SCALAR;
    }

    /** Evaluates an op on double constants at compile time, as Java would at run time. */
    private static Node fold(Optimizer o, Op op, Kind kind, Node... in) {
        if (kind != Kind.SCALAR || in.length == 0) return null;
        for (Node n : in) if (n.op() != CONST || n.kind() != Kind.SCALAR) return null;
        double a = in[0].attrs().number();
        double b = in.length > 1 ? in[1].attrs().number() : 0;
        Double v = switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case NEG -> -a;
            case POW -> Math.pow(a, b);
            case EXP -> Math.exp(a);
            case LOG -> Math.log(a);
            case SQRT -> Math.sqrt(a);
            case SIN -> Math.sin(a);
            case COS -> Math.cos(a);
            case ABS -> Math.abs(a);
            default -> null;
        };
        return v == null ? null : o.constant(v);
    }
}
