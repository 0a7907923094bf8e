package dev.tapeless.processor.codegen;

import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which arrays may share a buffer at run time. The shape computations of the reverse pass, and
 * transpose and reshape, may return their first operand (or a view of it); every other tensor op
 * returns a fresh array that nothing else holds, but the value of a called companion's Vjp and
 * the components of its gradient record, which are the companion's.
 */
final class Aliasing {
    private Aliasing() {}

    /** {@code n} and every node whose buffer it may be (following ops that may return their operand). */
    static Set<Node> sourcesOf(Node n) {
        Set<Node> s = new LinkedHashSet<>();
        for (Node x = n; ; x = x.in(0)) {
            s.add(x);
            if (!x.op().mayAliasFirstOperand() || x.in(0).kind() != Kind.TENSOR) return s;
        }
    }

    /** Whether {@code n} is an array the generated code allocated itself, aliasing nothing. */
    static boolean isFresh(Node n) {
        return n.kind() == Kind.TENSOR && !n.op().isLeaf() && !n.op().mayAliasFirstOperand()
                && n.op() != dev.tapeless.processor.ir.Op.RESULT // a branch's or loop's result may be any array
                // a called companion's Vjp keeps its value, and may read it in its pullback
                && n.op() != dev.tapeless.processor.ir.Op.CALL_VALUE
                && n.op() != dev.tapeless.processor.ir.Op.CALL_COMPONENT;
    }
}
