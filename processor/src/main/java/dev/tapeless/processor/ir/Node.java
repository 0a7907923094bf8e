package dev.tapeless.processor.ir;

import java.util.List;

/**
 * One SSA value: an op applied to earlier values. Immutable. Identity matters (a graph refers to
 * nodes by reference); {@link #key()} gives the structural identity that CSE uses.
 */
public final class Node {
    private final int id;
    private final Op op;
    private final List<Node> inputs;
    private final Attrs attrs;
    private final Kind kind;
    private String name;
    private final Origin origin;
    private List<Region> regions = List.of();
    private Region region;

    Node(int id, Op op, List<Node> inputs, Attrs attrs, Kind kind, String name, Origin origin) {
        this.id = id;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.attrs = attrs;
        this.kind = kind;
        this.name = name;
        this.origin = origin;
    }

    public int id() { return id; }
    public Op op() { return op; }
    public List<Node> inputs() { return inputs; }
    public Node in(int i) { return inputs.get(i); }
    public Attrs attrs() { return attrs; }
    public Kind kind() { return kind; }
    /** The source name this value carries (a local or parameter), or a hint for a temporary. */
    public String name() { return name; }
    public Origin origin() { return origin; }
    /** The regions of an IF or LOOP; empty for every other op. */
    public List<Region> regions() { return regions; }
    /** The region this node is in (for a loop's ARG, the loop's body); null at the top level. */
    public Region region() { return region; }

    void setRegions(List<Region> r) {
        this.regions = List.copyOf(r);
    }

    void placeIn(Region r) {
        this.region = r;
    }

    /** Gives a temporary the name of the source local it is bound to; the first name stays. */
    void nameIfUnnamed(String sourceName) {
        if (name.isEmpty() || name.startsWith("$")) name = sourceName;
    }

    /** Whether this is a constant equal to {@code value}: a double's bits, or an integer's value. */
    public boolean isConst(double value) {
        if (op != Op.CONST) return false;
        if (kind == Kind.SCALAR || kind == Kind.TENSOR) return Double.compare(attrs.number(), value) == 0;
        return value == Math.rint(value) && attrs.integer() == (long) value;
    }

    /**
     * Whether Java may throw where this node's value is computed, so that it must run only where
     * the source runs it: an int or long division or remainder by anything but a nonzero constant
     * ({@code ArithmeticException}), an array access or creation (an index or a size out of range),
     * a call of a function whose body Tapeless does not read.
     */
    public boolean mayThrow() {
        return throwsOnZeroDivisor() || op == Op.LOAD || op == Op.STORE || op == Op.NEW_ARRAY
                || op == Op.CALL || op == Op.CALL_ADJOINT || op == Op.CALL_GRADIENT || op == Op.CALL_VJP
                || op == Op.CALL_PULLBACK; // code Tapeless has not read
    }

    /** An int or long division or remainder by anything but a nonzero constant. */
    public boolean throwsOnZeroDivisor() {
        return (op == Op.DIV || op == Op.REM) && (kind == Kind.INT || kind == Kind.LONG)
                && !(inputs.get(1).op() == Op.CONST && inputs.get(1).attrs().integer() != 0);
    }

    /** Structural identity: same op, same inputs (by reference), same attributes. */
    public Key key() {
        return new Key(op, inputs.stream().map(Node::id).toList(), attrs, kind);
    }

    public record Key(Op op, List<Integer> inputIds, Attrs attrs, Kind kind) {}

    @Override
    public String toString() {
        return "%" + id + (name.isEmpty() || name.startsWith("$") ? "" : "(" + name + ")");
    }
}
