package dev.tapeless.processor.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A straight-line SSA graph under construction: nodes in the order they were made, which is a
 * topological order. Every node is made here, so every kind is inferred in one place
 * ({@link #kindOf}). Names that start with {@code $} are hints for temporaries.
 */
public final class Graph {
    private final List<Node> nodes = new ArrayList<>();
    private Origin origin = Origin.NONE;

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** Nodes made from now on come from this source statement. */
    public void at(Origin newOrigin) {
        this.origin = newOrigin;
    }

    public Origin origin() {
        return origin;
    }

    public Node param(String name, Kind kind) {
        return add(Op.PARAM, List.of(), Attrs.text(name), kind, name);
    }

    public Node seed(Kind kind) {
        return add(Op.SEED, List.of(), Attrs.NONE, kind, "upstream");
    }

    /** A {@code double} constant. */
    public Node scalar(double value) {
        return add(Op.CONST, List.of(), Attrs.number(value), Kind.SCALAR, "$c");
    }

    /**
     * An {@code int}, {@code long} or {@code boolean} (0 or 1) constant, held exactly; an int
     * constant is {@code value} as Java's {@code (int)} cast would make it.
     */
    public Node integer(long value, Kind kind) {
        return add(Op.CONST, List.of(), Attrs.integer(normalize(value, kind)), kind, "$c");
    }

    /** {@code value} as a constant of {@code kind} holds it: ints wrap, booleans are 0 or 1. */
    public static long normalize(long value, Kind kind) {
        return switch (kind) {
            case INT -> (int) value;
            case LONG -> value;
            case BOOL -> value != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException("not an integer kind: " + kind);
        };
    }

    public Node field(String qualifiedName, Kind kind) {
        return add(Op.FIELD, List.of(), Attrs.text(qualifiedName), kind,
                qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1));
    }

    /** Any op from its inputs; the kind is inferred. */
    public Node apply(Op op, Attrs attrs, Node... inputs) {
        if (inputs.length != op.arity()) {
            throw new IllegalArgumentException(op + " takes " + op.arity() + " inputs, got " + inputs.length);
        }
        return add(op, List.of(inputs), attrs, kindOf(op, attrs, inputs), "$" + op.displayName());
    }

    public Node apply(Op op, Node... inputs) {
        return apply(op, Attrs.NONE, inputs);
    }

    /** Adds a node exactly as given (used by passes that copy nodes from graph to graph). */
    public Node add(Op op, List<Node> inputs, Attrs attrs, Kind kind, String name) {
        Node n = new Node(nodes.size(), op, inputs, attrs, kind, name, origin);
        nodes.add(n);
        return n;
    }

    /** Binds a source name to a value, for readable generated code. */
    public void name(Node node, String sourceName) {
        node.nameIfUnnamed(sourceName);
    }

    public static Kind kindOf(Op op, Attrs attrs, Node... in) {
        return switch (op) {
            case ADD, SUB, MUL, DIV -> Kind.promote(in[0].kind(), in[1].kind());
            case POW, ATAN2, HYPOT -> anyTensor(in) ? Kind.TENSOR : Kind.SCALAR;
            case MIN, MAX -> Kind.promote(in[0].kind(), in[1].kind());
            case NEG, ABS -> in[0].kind();
            case GE, GT -> Kind.BOOL;
            case SELECT -> Kind.promote(in[1].kind(), in[2].kind());
            case SUM_TO -> in[1].kind() == Kind.TENSOR ? Kind.TENSOR : Kind.SCALAR;
            case COUNT, TO_DOUBLE, ELEMENT -> Kind.SCALAR;
            case TO_LONG -> Kind.LONG;
            case TO_INT -> Kind.INT;
            case SUM, MEAN, MMUL, TRANSPOSE, RESHAPE, EXPAND, SOFTMAX, LOG_SOFTMAX, EXPAND_LIKE,
                    UNREDUCE, RESHAPE_LIKE, MMUL_GRAD_LEFT, MMUL_GRAD_RIGHT, ZEROS_LIKE, AS_ARRAY_LIKE -> Kind.TENSOR;
            case PARAM, CONST, FIELD, SEED -> throw new IllegalArgumentException("leaf " + op + " has no inputs");
            default -> anyTensor(in) ? Kind.TENSOR : Kind.SCALAR; // elementwise unary
        };
    }

    /**
     * Whether a tensor value is rank 0 whatever the shapes of the arguments: a full reduction,
     * or elementwise ops on such values and Java numbers.
     */
    public static boolean isRankZero(Node n) {
        return isRankZero(n, new HashMap<>());
    }

    /** As above, each node decided once: a graph of shared values is a DAG, exponential as a tree. */
    private static boolean isRankZero(Node n, Map<Node, Boolean> known) {
        if (n.kind() != Kind.TENSOR) return false;
        Boolean k = known.get(n);
        if (k != null) return k;
        boolean rankZero = switch (n.op()) {
            case SUM, MEAN -> n.attrs().ints().isEmpty() && !n.attrs().keepDims();
            case ADD, SUB, MUL, DIV, POW, NEG, EXP, LOG, SQRT, ABS, SIN, COS, TANH, SIGMOID, RELU ->
                    n.inputs().stream().allMatch(i -> i.kind() != Kind.TENSOR || isRankZero(i, known));
            default -> false;
        };
        known.put(n, rankZero);
        return rankZero;
    }

    private static boolean anyTensor(Node... in) {
        for (Node n : in) if (n.kind() == Kind.TENSOR) return true;
        return false;
    }
}
