package dev.tapeless.processor.ad;

import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;

import java.util.List;

/** The vocabulary derivative rules are written in: IR construction that reads like algebra. */
public final class Algebra {
    private final Graph graph;

    Algebra(Graph graph) {
        this.graph = graph;
    }

    public Node c(double value) { return graph.scalar(value); }

    /** {@code n}, named for generated code (unless it is named already). */
    public Node named(Node n, String name) {
        graph.name(n, name);
        return n;
    }
    public Node add(Node a, Node b) { return graph.apply(Op.ADD, a, b); }
    public Node sub(Node a, Node b) { return graph.apply(Op.SUB, a, b); }
    public Node mul(Node a, Node b) { return graph.apply(Op.MUL, a, b); }
    public Node div(Node a, Node b) { return graph.apply(Op.DIV, a, b); }
    public Node neg(Node a) { return graph.apply(Op.NEG, a); }
    public Node square(Node a) { return mul(a, a); }
    public Node op(Op op, Node... in) { return graph.apply(op, in); }
    public Node op(Op op, Attrs attrs, Node... in) { return graph.apply(op, attrs, in); }

    /** {@code g} summed back to the shape of {@code like} (undoes broadcasting). */
    public Node sumTo(Node g, Node like) { return graph.apply(Op.SUM_TO, g, like); }

    /** Zero of the kind, shape and data type of {@code like}. */
    public Node zerosLike(Node like) {
        return like.kind() == Kind.TENSOR ? graph.apply(Op.ZEROS_LIKE, like) : c(0);
    }

    /**
     * The adjoint {@code g} of the array {@code y} as an array. The reverse pass starts a gradient
     * from the Java number 1, which stands for 1 broadcast over {@code y}; elementwise rules take
     * it as it is (and keep it cheap), rules that reshape or reduce it need it as an array.
     */
    public Node asArray(Node g, Node y) {
        return g.kind() == Kind.TENSOR || y.kind() != Kind.TENSOR ? g : graph.apply(Op.EXPAND_LIKE, g, y);
    }

    /** {@code g} spread back over the axes a reduction with {@code attrs} removed from {@code like}. */
    public Node unreduce(Node g, Node like, Attrs attrs) {
        return attrs.ints().isEmpty()
                ? graph.apply(Op.EXPAND_LIKE, g, like)
                : graph.apply(Op.UNREDUCE, attrs, g, like);
    }

    /** Sum along one dimension, keeping it. */
    public Node sumKeep(Node x, int dim) {
        return graph.apply(Op.SUM, Attrs.dims(List.of(dim), true), x);
    }
}
