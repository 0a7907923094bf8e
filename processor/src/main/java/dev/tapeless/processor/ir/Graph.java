package dev.tapeless.processor.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An SSA graph under construction: nodes in the order they were made, which is a topological
 * order, and inside IF and LOOP nodes, their {@link Region}s, built the same way between
 * {@link #beginRegion} and {@link #endRegion}. Every node is made here, so every kind is inferred
 * in one place ({@link #kindOf}). Names that start with {@code $} are hints for temporaries.
 */
public final class Graph {
    private final List<Node> nodes = new ArrayList<>();
    /** The node lists of the regions being built, innermost first. */
    private final Deque<List<Node>> open = new ArrayDeque<>();
    private final Deque<Integer> serials = new ArrayDeque<>();
    private int lastSerial;
    private Origin origin = Origin.NONE;
    private int nextId;

    /** The top-level nodes. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** Nodes made from now on go into a new region, until {@link #endRegion}. */
    public void beginRegion() {
        open.push(new ArrayList<>());
        serials.push(++lastSerial);
    }

    /** Ends the region begun last: its nodes, with these arguments and yielded values. */
    public Region endRegion(List<Node> args, List<Node> yields) {
        return region(args, popRegion(), yields);
    }

    /** Ends the region begun last, returning its nodes, to be made a {@link #region} when its yields are known. */
    public List<Node> popRegion() {
        serials.pop();
        return open.pop();
    }

    /** Ends the region begun last, its nodes becoming nodes of the list around it (they run unconditionally). */
    public void inlineRegion() {
        serials.pop();
        List<Node> inner = open.pop();
        (open.isEmpty() ? nodes : open.peek()).addAll(inner);
    }

    /** Nodes taken from {@link #popRegion}, made part of the current list after all (they run unconditionally). */
    public void splice(List<Node> regionNodes) {
        (open.isEmpty() ? nodes : open.peek()).addAll(regionNodes);
    }

    /** A region of nodes taken from {@link #popRegion}. */
    public Region region(List<Node> args, List<Node> regionNodes, List<Node> yields) {
        Region r = new Region(args, regionNodes, yields);
        for (Node n : r.nodes()) n.placeIn(r);
        return r;
    }

    /** A number for the list nodes made now go to (0: the top level): values made in one list are not visible from a sibling. */
    public int currentList() {
        return serials.isEmpty() ? 0 : serials.peek();
    }

    /** Whether a region is being built (nodes made now go into it). */
    public boolean inRegion() {
        return !open.isEmpty();
    }

    /** The id the next node made will have: ids grow in the order nodes are made. */
    public int nextId() {
        return nextId;
    }

    /** A value a loop carries: an argument of the loop's regions, made before them. */
    public Node arg(Kind kind, String name) {
        return new Node(nextId++, Op.ARG, List.of(), Attrs.NONE, kind, name, origin);
    }

    /** {@code new T[n]} for an array {@code kind}: zeros, an array of its own. */
    public Node newArray(Kind kind, Node length) {
        return add(Op.NEW_ARRAY, List.of(length), new Attrs(0, nextId, List.of(), false, List.of(), kind.name()), kind, "$newArray");
    }

    /**
     * The array object an array value is a version of: the parameter, {@code new} or adjoint
     * accumulator it was made by, through writes, branches and loops.
     */
    public static Node arrayRoot(Node n) {
        Node x = n;
        while (true) {
            switch (x.op()) {
                case STORE, ACCUM -> x = x.in(0);
                case ARG -> {
                    Node loop = x.region().owner();
                    x = loop.in(loop.regions().get(1).args().indexOf(x));
                }
                case RESULT -> {
                    Node owner = x.in(0);
                    int k = (int) x.attrs().integer();
                    x = owner.op() == Op.IF ? owner.regions().get(0).yields().get(k) : owner.in(k);
                }
                default -> {
                    return x;
                }
            }
        }
    }

    /** A placeholder of {@code kind} for a path on which a local is not assigned. */
    public Node undef(Kind kind) {
        return add(Op.UNDEF, List.of(), Attrs.NONE, kind, "$undef");
    }

    /**
     * An IF ({@code inputs} = the condition; regions then, else) or a LOOP ({@code inputs} = the
     * carried values' initial values; regions cond, body, whose args are the carried values).
     */
    public Node control(Op op, List<Node> inputs, List<Region> regions) {
        Node n = add(op, inputs, Attrs.NONE, Kind.VOID, "$" + op.displayName());
        n.setRegions(regions);
        for (Region r : regions) {
            r.setOwner(n);
            for (Node a : r.args()) a.placeIn(regions.get(regions.size() - 1)); // a loop's args: its body's
        }
        return n;
    }

    /** Result {@code index} of an IF or LOOP. */
    public Node result(Node owner, int index, Kind kind, String name) {
        return add(Op.RESULT, List.of(owner), Attrs.integer(index), kind, name);
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
        if (op.arity() >= 0 ? inputs.length != op.arity() : attrs.callee() == null) {
            throw new IllegalArgumentException(op + " takes " + op.arity() + " inputs, got " + inputs.length);
        }
        return add(op, List.of(inputs), attrs, kindOf(op, attrs, inputs), "$" + op.displayName());
    }

    public Node apply(Op op, Node... inputs) {
        return apply(op, Attrs.NONE, inputs);
    }

    /**
     * Adds a node exactly as given to the list {@code levels} regions out from the one being built
     * (it runs before the IF or LOOP those regions will belong to).
     */
    public Node addOutside(int levels, Op op, List<Node> inputs, Attrs attrs, Kind kind, String name) {
        Node n = new Node(nextId++, op, inputs, attrs, kind, name, origin);
        java.util.Iterator<List<Node>> lists = open.iterator(); // innermost first
        List<Node> target = nodes;
        for (int i = 0; i <= levels && lists.hasNext(); i++) {
            List<Node> l = lists.next();
            if (i == levels) target = l;
        }
        target.add(n);
        return n;
    }

    /** Adds a node exactly as given (used by passes that copy nodes from graph to graph). */
    public Node add(Op op, List<Node> inputs, Attrs attrs, Kind kind, String name) {
        Node n = new Node(nextId++, op, inputs, attrs, kind, name, origin);
        (open.isEmpty() ? nodes : open.peek()).add(n);
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
            case GE, GT, EQ, NOT -> Kind.BOOL;
            case SELECT -> in[1].kind() == Kind.BOOL && in[2].kind() == Kind.BOOL ? Kind.BOOL
                    : Kind.promote(in[1].kind(), in[2].kind());
            case REM -> Kind.promote(in[0].kind(), in[1].kind());
            case SUM_TO -> in[1].kind() == Kind.TENSOR ? Kind.TENSOR : Kind.SCALAR;
            case COUNT, TO_DOUBLE, ELEMENT -> Kind.SCALAR;
            case TO_LONG -> Kind.LONG;
            case TO_INT, LENGTH -> Kind.INT;
            case LOAD -> in[0].kind().element();
            case STORE, ACCUM -> in[0].kind();
            case NEW_ARRAY -> Kind.valueOf(attrs.text());
            case SUM, MEAN, MMUL, TRANSPOSE, RESHAPE, EXPAND, SOFTMAX, LOG_SOFTMAX, EXPAND_LIKE, SLICE, UNSLICE,
                    UNREDUCE, RESHAPE_LIKE, MMUL_GRAD_LEFT, MMUL_GRAD_RIGHT, AS_ARRAY_LIKE -> Kind.TENSOR;
            case ZEROS_LIKE -> in[0].kind() == Kind.DOUBLE_ARRAY ? Kind.DOUBLE_ARRAY : Kind.TENSOR;
            case CALL -> attrs.callee().result();
            case CALL_ADJOINT, CALL_COMPONENT -> attrs.callee().params().get((int) attrs.integer()).kind();
            case CALL_VJP, CALL_PULLBACK, CALL_GRADIENT -> Kind.OBJECT;
            case CALL_VALUE -> attrs.callee().result();
            case IF, LOOP, RESULT -> throw new IllegalArgumentException(op + " is made by control() and result()");
            case PARAM, CONST, FIELD, SEED, ARG, UNDEF -> throw new IllegalArgumentException("leaf " + op + " has no inputs");
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
