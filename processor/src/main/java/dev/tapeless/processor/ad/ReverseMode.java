package dev.tapeless.processor.ad;

import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode AD as an IR-to-IR transform: walks the forward nodes backwards from the result,
 * applies {@link Rules} to every node that is active (depends on a {@code wrt} parameter and
 * reaches the result), and sums the contributions of every use. The reverse nodes are appended
 * to the same graph, so they see forward values directly and go through the same optimizer and
 * code generator.
 *
 * <p>A value's contributions are summed when all of them are known, as a balanced tree: a value
 * used n times gets its adjoint after log2(n) dependent additions rather than n - 1, which is
 * what bounds the speed of straight-line scalar code (a polynomial's variable, used at every
 * step of Horner's rule, is the typical case).
 */
public final class ReverseMode {
    private ReverseMode() {}

    /** The adjoint of each {@code wrt} parameter, in order, shaped and typed like the parameter. */
    public record Result(Node seed, List<Node> gradients) {}

    /**
     * Appends the reverse pass of {@code result} to {@code graph}.
     *
     * @param seed the adjoint of the result: the constant 1 for a gradient, a SEED node for a pullback
     */
    public static Result differentiate(Graph graph, Node result, List<Node> wrt, Node seed) {
        List<Node> forward = new ArrayList<>(graph.nodes());
        Set<Node> active = activeNodes(forward, result, wrt);
        Algebra b = new Algebra(graph);
        Map<Node, List<Node>> contributions = new HashMap<>();
        if (active.contains(result)) contributions.put(result, new ArrayList<>(List.of(seed)));

        for (int i = forward.size() - 1; i >= 0; i--) {
            Node y = forward.get(i);
            List<Node> parts = contributions.get(y);
            if (parts == null || y.op().isLeaf()) continue;
            Rules.Partial[] partials = Rules.of(y.op());
            if (partials == null) continue; // zero derivative almost everywhere
            graph.at(y.origin().asAdjoint());
            Node g = sum(parts, 0, parts.size(), b); // every use of y comes later: all are in
            graph.name(g, adjointName(y));
            Node[] partial = new Node[partials.length];
            for (int k = 0; k < partials.length; k++) {
                Node x = y.in(k);
                if (!active.contains(x)) continue;
                partial[k] = partials[k].adjoint(y, g, b);
                // An operand used twice by one op (x * x) gets one contribution, the sum of both.
                int first = y.inputs().indexOf(x);
                if (first < k) {
                    List<Node> ofX = contributions.get(x);
                    ofX.set(ofX.size() - 1, b.add(partial[first], partial[k]));
                } else {
                    contributions.computeIfAbsent(x, unused -> new ArrayList<>()).add(partial[k]);
                }
            }
        }

        Map<Node, Node> adjoint = new HashMap<>();
        for (Node p : wrt) {
            List<Node> parts = contributions.get(p);
            if (parts != null) adjoint.put(p, sum(parts, 0, parts.size(), b));
        }
        List<Node> gradients = new ArrayList<>();
        for (Node p : wrt) {
            graph.at(Origin.NONE);
            Node g = adjoint.get(p);
            if (g == null) {
                gradients.add(p.kind() == Kind.TENSOR ? graph.apply(Op.ZEROS_LIKE, p) : graph.scalar(0));
            } else if (p.kind() == Kind.TENSOR && g.kind() != Kind.TENSOR) {
                gradients.add(graph.apply(Op.AS_ARRAY_LIKE, g, p));
            } else {
                gradients.add(g);
            }
            graph.name(gradients.get(gradients.size() - 1), adjointName(p));
        }
        return new Result(seed, gradients);
    }

    /** {@code parts[from..to)} added up pairwise. */
    private static Node sum(List<Node> parts, int from, int to, Algebra b) {
        if (to - from == 1) return parts.get(from);
        int middle = (from + to) >>> 1;
        return b.add(sum(parts, from, middle, b), sum(parts, middle, to, b));
    }

    /** Nodes that depend on some {@code wrt} parameter and on which the result depends. */
    static Set<Node> activeNodes(List<Node> nodes, Node result, List<Node> wrt) {
        Set<Node> varied = new HashSet<>(wrt);
        for (Node n : nodes) {
            if (!n.kind().isDifferentiable()) continue;
            for (Node in : n.inputs()) {
                if (varied.contains(in)) {
                    varied.add(n);
                    break;
                }
            }
        }
        Set<Node> useful = new HashSet<>();
        useful.add(result);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (useful.contains(n)) useful.addAll(n.inputs());
        }
        Set<Node> active = new HashSet<>(varied);
        active.retainAll(useful);
        return active;
    }

    /** Adjoints are named after their primal value: {@code d_x} for {@code x}. */
    static String adjointName(Node primal) {
        String name = primal.name();
        return "d_" + (name.startsWith("$") ? name.substring(1) : name);
    }
}
