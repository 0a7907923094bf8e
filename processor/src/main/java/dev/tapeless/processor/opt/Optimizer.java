package dev.tapeless.processor.opt;

import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a graph keeping only what reaches its roots, simplifying every node on the way
 * ({@link Simplify}: constant folding and algebraic identities) and making each distinct
 * computation once (common subexpressions, by structural key).
 */
public final class Optimizer {

    /** An optimized graph and its roots, in the order they were given. */
    public record Optimized(List<Node> nodes, List<Node> roots) {}

    private final Graph out = new Graph();
    private final Map<Node.Key, Node> made = new HashMap<>();

    private Optimizer() {}

    public static Optimized optimize(List<Node> nodes, List<Node> roots) {
        Optimizer o = new Optimizer();
        Map<Node, Node> mapped = new HashMap<>();
        Set<Node> live = live(nodes, withEffects(nodes, roots));
        for (Node n : nodes) {
            if (!live.contains(n)) continue;
            o.out.at(n.origin());
            Node copy;
            if (n.op().isLeaf()) {
                copy = o.intern(n.op(), n.attrs(), n.kind(), n.name(), List.of());
            } else {
                Node[] in = n.inputs().stream().map(mapped::get).toArray(Node[]::new);
                int before = o.out.nodes().size();
                copy = o.make(n.op(), n.attrs(), in);
                // A source name carries over; an adjoint's name only to a node of the reverse pass,
                // never to the forward value it simplified to (that would call a primal value d_x).
                boolean sourceName = !n.name().startsWith("$");
                boolean fits = !n.origin().adjoint() || copy.origin().adjoint() || copy.id() >= before;
                if (sourceName && fits) o.out.name(copy, n.name());
            }
            mapped.put(n, copy);
        }
        List<Node> newRoots = roots.stream().map(mapped::get).toList();
        Set<Node> stillLive = live(o.out.nodes(), withEffects(o.out.nodes(), newRoots));
        List<Node> kept = o.out.nodes().stream().filter(stillLive::contains).toList();
        return new Optimized(kept, newRoots);
    }

    /** Makes {@code op(inputs)} in its simplest form, reusing an identical node when there is one. */
    Node make(Op op, Attrs attrs, Node... inputs) {
        Kind kind = Graph.kindOf(op, attrs, inputs);
        Node simpler = Simplify.rewrite(this, op, attrs, inputs);
        if (simpler != null) {
            // A rewrite that changed a value's kind would change what Java computes with it.
            if (simpler.kind() != kind) {
                throw new IllegalStateException("rewrite of " + op + " changed kind " + kind + " to " + simpler.kind());
            }
            return simpler;
        }
        return intern(op, attrs, kind, "$" + op.displayName(), List.of(inputs));
    }

    /** Whether the node being made belongs to a reverse pass (where the sign of a zero is immaterial). */
    boolean makingAdjoint() {
        return out.origin().adjoint();
    }

    Node make(Op op, Node... inputs) {
        return make(op, Attrs.NONE, inputs);
    }

    /** A {@code double} constant. */
    Node constant(double value) {
        return intern(Op.CONST, Attrs.number(value), Kind.SCALAR, "$c", List.of());
    }

    /** An {@code int}, {@code long} or {@code boolean} constant, as {@link Graph#integer} makes it. */
    Node integer(long value, Kind kind) {
        return intern(Op.CONST, Attrs.integer(Graph.normalize(value, kind)), kind, "$c", List.of());
    }

    private Node intern(Op op, Attrs attrs, Kind kind, String name, List<Node> inputs) {
        Node.Key key = new Node.Key(op, inputs.stream().map(Node::id).toList(), attrs, kind);
        if (isCommutative(op, kind) && inputs.get(0).id() > inputs.get(1).id()) {
            // a + b and b + a are one value (for Java numbers; an array's data type follows its first operand).
            key = new Node.Key(op, List.of(inputs.get(1).id(), inputs.get(0).id()), attrs, kind);
        }
        Node existing = made.get(key);
        if (existing != null) return existing;
        Node n = out.add(op, inputs, attrs, kind, name);
        made.put(key, n);
        return n;
    }

    private static boolean isCommutative(Op op, Kind kind) {
        return (op == Op.ADD || op == Op.MUL) && kind != Kind.TENSOR;
    }

    /** The nodes some root depends on. */
    public static Set<Node> live(List<Node> nodes, List<Node> roots) {
        Set<Node> live = new HashSet<>(roots);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (live.contains(n)) live.addAll(n.inputs());
        }
        return live;
    }

    /**
     * {@code roots} and the nodes that may throw where the source does: an int or long division
     * by anything but a nonzero constant throws {@code ArithmeticException} for a zero divisor,
     * and Java evaluates it even when its value is not used. So does the generated code.
     */
    static List<Node> withEffects(List<Node> nodes, List<Node> roots) {
        List<Node> out = new ArrayList<>(roots);
        for (Node n : nodes) if (mayThrow(n)) out.add(n);
        return out;
    }

    /** An int or long division by anything but a nonzero constant. */
    public static boolean mayThrow(Node n) {
        return n.op() == Op.DIV && (n.kind() == Kind.INT || n.kind() == Kind.LONG)
                && !(n.in(1).op() == Op.CONST && n.in(1).attrs().integer() != 0);
    }

    /** Nodes in order, restricted to those some root depends on (and those that may throw). */
    public static List<Node> prune(List<Node> nodes, List<Node> roots) {
        Set<Node> live = live(nodes, withEffects(nodes, roots));
        List<Node> kept = new ArrayList<>();
        for (Node n : nodes) if (live.contains(n)) kept.add(n);
        return kept;
    }
}
