package dev.tapeless.processor.ad;

import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;
import dev.tapeless.processor.ir.Region;

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
    /** The adjoint of each {@code wrt} parameter, in order, shaped and typed like the parameter. */
    public record Result(Node seed, List<Node> gradients) {}

    /**
     * Appends the reverse pass of {@code result} to {@code graph}, whose top-level nodes {@code forward}
     * compute it.
     *
     * @param seed the adjoint of the result: the constant 1 for a gradient, a SEED node for a pullback
     */
    public static Result differentiate(Graph graph, List<Node> forward, Node result, List<Node> wrt, Node seed) {
        ReverseMode r = new ReverseMode(graph, activeNodes(forward, result, wrt), forward);
        Map<Node, List<Node>> contributions = new HashMap<>();
        if (r.active.contains(result)) contributions.put(result, new ArrayList<>(List.of(seed)));
        // One adjoint array per array object the reverse pass accumulates into, made before it.
        java.util.TreeMap<Integer, Node> roots = new java.util.TreeMap<>();
        for (Node n : Region.flatten(forward)) {
            if (n.kind() == Kind.DOUBLE_ARRAY && r.active.contains(n)) roots.put(Graph.arrayRoot(n).id(), Graph.arrayRoot(n));
        }
        for (Node root : roots.values()) {
            graph.at(Origin.NONE);
            Node zeros = graph.apply(Op.ZEROS_LIKE, root);
            graph.name(zeros, adjointName(root));
            r.arrays.put(root, zeros);
        }
        r.reverse(forward, contributions);

        Algebra b = r.b;
        Map<Node, Node> adjoint = new HashMap<>();
        for (Node p : wrt) {
            List<Node> parts = contributions.get(p);
            if (parts != null) adjoint.put(p, sum(parts, 0, parts.size(), b));
        }
        List<Node> gradients = new ArrayList<>();
        for (Node p : wrt) {
            graph.at(Origin.NONE);
            Node g = p.kind() == Kind.DOUBLE_ARRAY ? r.arrays.get(p) : adjoint.get(p);
            if (g == null) { // the result does not depend on p: zeros shaped like it
                boolean array = p.kind() == Kind.TENSOR || p.kind() == Kind.DOUBLE_ARRAY;
                gradients.add(array ? graph.apply(Op.ZEROS_LIKE, p) : graph.scalar(0));
            } else if (p.kind() == Kind.TENSOR && g.kind() != Kind.TENSOR) {
                gradients.add(graph.apply(Op.AS_ARRAY_LIKE, g, p));
            } else {
                gradients.add(g);
            }
            graph.name(gradients.get(gradients.size() - 1), adjointName(p));
        }
        return new Result(seed, gradients);
    }

    private final Graph graph;
    private final Set<Node> active;
    private final Algebra b;
    /** The top-level nodes of the forward pass. */
    private final List<Node> top;
    /**
     * The adjoint of each active array object, by the object's root: its current version. Adjoints
     * of array elements are accumulated into it in place (a[i] += g), in the order of the reverse pass.
     */
    private final Map<Node, Node> arrays = new HashMap<>();

    private ReverseMode(Graph graph, Set<Node> active, List<Node> top) {
        this.graph = graph;
        this.active = active;
        this.b = new Algebra(graph);
        this.top = top;
    }

    /**
     * Walks {@code nodes} (the top level, or a region's) backwards, turning the contributions to
     * the adjoint of each value into contributions to its operands'. Contributions to values
     * outside the list are left in {@code contributions} for the caller.
     */
    private void reverse(List<Node> nodes, Map<Node, List<Node>> contributions) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node y = nodes.get(i);
            if (y.op() == Op.IF) {
                reverseIf(y, contributions);
                continue;
            }
            if (y.op() == Op.LOOP) {
                reverseLoop(y, contributions);
                continue;
            }
            if (y.op() == Op.STORE && y.kind() == Kind.DOUBLE_ARRAY && active.contains(y)) {
                reverseStore(y, contributions);
                continue;
            }
            List<Node> parts = contributions.get(y);
            if (y.op() == Op.LOAD && y.in(0).kind() == Kind.DOUBLE_ARRAY && active.contains(y.in(0))) {
                if (parts == null) continue;
                graph.at(y.origin().asAdjoint());
                Node g = sum(parts, 0, parts.size(), b);
                graph.name(g, adjointName(y));
                Node root = Graph.arrayRoot(y.in(0));
                arrays.put(root, graph.apply(Op.ACCUM, arrays.get(root), y.in(1), g)); // d_a[i] += g
                continue;
            }
            if (parts == null || y.op().isLeaf()) continue;
            Rules.Partial[] partials = y.op() == Op.CALL ? Rules.call(y) : Rules.of(y.op());
            if (partials == null) continue; // zero derivative almost everywhere; RESULTs: their IF or LOOP reads them
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
    }

    /**
     * The reverse of {@code a[i] = v}: v's adjoint is the adjoint of a[i] (then zeroed: the value it
     * overwrote reaches nothing).
     */
    private void reverseStore(Node y, Map<Node, List<Node>> contributions) {
        graph.at(y.origin().asAdjoint());
        Node root = Graph.arrayRoot(y);
        Node current = arrays.get(root);
        Node v = y.in(2);
        if (active.contains(v)) {
            Node g = graph.apply(Op.LOAD, current, y.in(1));
            graph.name(g, adjointName(v));
            contributions.computeIfAbsent(v, unused -> new ArrayList<>()).add(g);
        }
        arrays.put(root, graph.apply(Op.STORE, current, y.in(1), graph.scalar(0)));
    }

    /** The active array objects whose elements an IF or LOOP reads or writes, in the order of their ids. */
    private List<Node> arraysTouched(Node owner) {
        java.util.TreeMap<Integer, Node> out = new java.util.TreeMap<>();
        for (Node n : Region.flatten(List.of(owner))) {
            // A write of an active value makes the array active from there on, even if it was not before.
            boolean touches = (n.op() == Op.LOAD || n.op() == Op.STORE) && n.in(0).kind() == Kind.DOUBLE_ARRAY
                    && (active.contains(n.in(0)) || n.op() == Op.STORE && active.contains(n));
            if (touches) {
                Node root = Graph.arrayRoot(n.in(0));
                if (arrays.containsKey(root)) out.put(root.id(), root);
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The results of an IF or LOOP, by index, among {@code nodes}' (RESULT nodes follow their owner). */
    private static Map<Integer, Node> resultsOf(Node owner, Map<Node, List<Node>> contributions) {
        Map<Integer, Node> out = new HashMap<>();
        for (Node n : contributions.keySet()) {
            if (n.op() == Op.RESULT && n.in(0) == owner) out.put((int) n.attrs().integer(), n);
        }
        return out;
    }

    /**
     * The reverse of {@code if (c) then else}: {@code if (c) then' else'} on the same condition,
     * where each branch is the reverse of the forward one, seeded with the adjoints of the IF's
     * results, and yields the contributions to the active values from outside that the forward
     * branch reads (zero from a branch that does not read one).
     */
    private void reverseIf(Node y, Map<Node, List<Node>> contributions) {
        Map<Integer, Node> results = resultsOf(y, contributions);
        List<Node> touched = arraysTouched(y);
        if (results.isEmpty() && touched.isEmpty()) return;
        Map<Node, Node> arraysBefore = new HashMap<>(arrays);
        graph.at(y.origin().asAdjoint());
        Map<Integer, Node> seeds = new HashMap<>();
        results.forEach((k, r) -> {
            List<Node> parts = contributions.remove(r);
            Node g = sum(parts, 0, parts.size(), b);
            graph.name(g, adjointName(r));
            seeds.put(k, g);
        });
        List<Node> captured = captured(y);
        List<Region> branches = new ArrayList<>();
        for (Region forward : y.regions()) {
            graph.beginRegion();
            Map<Node, List<Node>> inside = new HashMap<>();
            seeds.forEach((k, g) -> {
                Node yielded = forward.yields().get(k);
                if (active.contains(yielded)) inside.computeIfAbsent(yielded, unused -> new ArrayList<>()).add(g);
            });
            for (Node root : touched) arrays.put(root, arraysBefore.get(root));
            reverse(forward.nodes(), inside);
            graph.at(y.origin().asAdjoint());
            List<Node> yields = new ArrayList<>();
            for (Node u : captured) yields.add(adjointOf(u, inside.get(u)));
            for (Node root : touched) yields.add(arrays.get(root));
            Region branch = graph.endRegion(List.of(), yields);
            branch.setReverseOf(forward);
            branches.add(branch);
        }
        Node rev = graph.control(Op.IF, List.of(y.in(0)), branches);
        for (int k = 0; k < captured.size(); k++) {
            Node u = captured.get(k);
            Node r = graph.result(rev, k, u.kind(), adjointName(u));
            contributions.computeIfAbsent(u, unused -> new ArrayList<>()).add(r);
        }
        for (int k = 0; k < touched.size(); k++) {
            Node root = touched.get(k);
            arrays.put(root, graph.result(rev, captured.size() + k, Kind.DOUBLE_ARRAY, adjointName(root)));
        }
    }

    /**
     * The reverse of a loop: a loop that runs as many times, backwards. It carries a counter, the
     * adjoint of each active carried value (starting from the adjoint of the loop's result) and,
     * for each active value from outside that the body reads, the sum of its contributions so far.
     * Each iteration undoes one iteration of the forward body: the body reversed, seeded with the
     * carried adjoints of what it yielded.
     */
    private void reverseLoop(Node y, Map<Node, List<Node>> contributions) {
        Map<Integer, Node> results = resultsOf(y, contributions);
        List<Node> touched = arraysTouched(y);
        if (results.isEmpty() && touched.isEmpty()) return;
        Region cond = y.regions().get(0);
        Region body = y.regions().get(1);
        List<Node> args = body.args();
        graph.at(y.origin().asAdjoint());
        List<Integer> carried = new ArrayList<>();
        for (int j = 0; j < args.size(); j++) {
            if (active.contains(args.get(j)) && !args.get(j).kind().isArray()) carried.add(j);
        }
        List<Node> captured = captured(y);
        Node trips = tripsOf(y);

        List<Node> inits = new ArrayList<>();
        inits.add(trips);
        for (int j : carried) {
            Node r = results.get(j);
            List<Node> parts = r == null ? null : contributions.remove(r);
            Node g = parts == null ? b.zerosLike(y.in(j)) : sum(parts, 0, parts.size(), b);
            if (r != null && parts != null) {
                g = b.asArray(g, r); // carried from one iteration to the next: an array if the value is
                graph.name(g, adjointName(r));
            }
            inits.add(g);
        }
        for (Node u : captured) inits.add(b.zerosLike(u));
        for (Node root : touched) inits.add(arrays.get(root));

        Node counter = graph.arg(Kind.INT, "$k");
        List<Node> newArgs = new ArrayList<>();
        newArgs.add(counter);
        for (int j : carried) newArgs.add(graph.arg(args.get(j).kind() == Kind.TENSOR ? Kind.TENSOR : Kind.SCALAR,
                adjointName(args.get(j))));
        for (Node u : captured) newArgs.add(graph.arg(u.kind() == Kind.TENSOR ? Kind.TENSOR : Kind.SCALAR, adjointName(u)));
        int firstArray = newArgs.size();
        for (Node root : touched) {
            Node a = graph.arg(Kind.DOUBLE_ARRAY, adjointName(root));
            newArgs.add(a);
            arrays.put(root, a);
        }

        graph.beginRegion();
        Node more = graph.apply(Op.GT, counter, graph.integer(0, Kind.INT));
        Region newCond = graph.endRegion(newArgs, List.of(more));

        graph.beginRegion();
        Map<Node, List<Node>> inside = new HashMap<>();
        for (int i = 0; i < carried.size(); i++) {
            Node yielded = body.yields().get(carried.get(i));
            if (active.contains(yielded)) {
                inside.computeIfAbsent(yielded, unused -> new ArrayList<>()).add(newArgs.get(1 + i));
            }
        }
        reverse(body.nodes(), inside);
        graph.at(y.origin().asAdjoint());
        List<Node> yields = new ArrayList<>();
        yields.add(null); // the counter's next value, made last: for (int k = trips; k > 0; k--)
        for (int j : carried) yields.add(adjointOf(args.get(j), inside.get(args.get(j))));
        for (int i = 0; i < captured.size(); i++) {
            Node u = captured.get(i);
            Node so = newArgs.get(1 + carried.size() + i);
            List<Node> parts = inside.get(u);
            yields.add(parts == null ? so : b.add(so, adjointOf(u, parts)));
        }
        for (Node root : touched) yields.add(arrays.get(root));
        yields.set(0, graph.apply(Op.SUB, counter, graph.integer(1, Kind.INT)));
        Region newBody = graph.endRegion(newArgs, yields);
        newBody.setReverseOf(body);
        Node rev = graph.control(Op.LOOP, inits, List.of(newCond, newBody));
        for (int i = 0; i < carried.size(); i++) {
            int j = carried.get(i);
            Node r = graph.result(rev, 1 + i, newArgs.get(1 + i).kind(), adjointName(args.get(j)));
            contributions.computeIfAbsent(y.in(j), unused -> new ArrayList<>()).add(r);
        }
        for (int i = 0; i < captured.size(); i++) {
            Node u = captured.get(i);
            Node r = graph.result(rev, 1 + carried.size() + i, newArgs.get(1 + carried.size() + i).kind(), adjointName(u));
            contributions.computeIfAbsent(u, unused -> new ArrayList<>()).add(r);
        }
        for (int i = 0; i < touched.size(); i++) {
            arrays.put(touched.get(i), graph.result(rev, firstArray + i, Kind.DOUBLE_ARRAY, adjointName(touched.get(i))));
        }
    }

    /** The sum of {@code parts}, as a value of {@code u}'s kind (an array for an array), or its zero. */
    private Node adjointOf(Node u, List<Node> parts) {
        if (parts == null) return b.zerosLike(u);
        Node g = sum(parts, 0, parts.size(), b);
        if (u.kind() == Kind.TENSOR && g.kind() != Kind.TENSOR) g = graph.apply(Op.AS_ARRAY_LIKE, g, u);
        return g;
    }

    /** The number of iterations of a loop: its RESULT after its carried values (the frontend makes it). */
    private Node tripsOf(Node loop) {
        int index = loop.regions().get(1).args().size();
        for (Node n : loop.region() == null ? top : loop.region().nodes()) {
            if (n.op() == Op.RESULT && n.in(0) == loop && n.attrs().integer() == index) return n;
        }
        throw new IllegalStateException("loop " + loop + " has no trip-count result");
    }

    /**
     * The active values from outside an IF or LOOP that some node in it reads, in the order of
     * their ids (the reverse pass makes them in a stable order).
     */
    private List<Node> captured(Node owner) {
        Set<Node> inside = new HashSet<>();
        List<Node> all = Region.flatten(List.of(owner));
        inside.addAll(all);
        for (Region r : owner.regions()) inside.addAll(r.args());
        for (Node n : all) for (Region r : n.regions()) inside.addAll(r.args());
        java.util.TreeMap<Integer, Node> out = new java.util.TreeMap<>();
        java.util.function.Consumer<Node> read = x -> {
            // An array's adjoint is threaded through the region instead (arraysTouched).
            boolean takes = !inside.contains(x) && active.contains(x) && x.kind().isDifferentiable() && !x.kind().isArray();
            if (takes) out.put(x.id(), x);
        };
        for (Node n : all) {
            if (n != owner) n.inputs().forEach(read); // the owner's own inputs are read before it
            for (Region r : n.regions()) r.yields().forEach(read);
        }
        return new ArrayList<>(out.values());
    }

    /** {@code parts[from..to)} added up pairwise. */
    private static Node sum(List<Node> parts, int from, int to, Algebra b) {
        if (to - from == 1) return parts.get(from);
        int middle = (from + to) >>> 1;
        return b.add(sum(parts, from, middle, b), sum(parts, middle, to, b));
    }

    /**
     * Nodes that depend on some {@code wrt} parameter through differentiable values (a loop's carried
     * values: until nothing changes), and on which the result depends.
     */
    static Set<Node> activeNodes(List<Node> nodes, Node result, List<Node> wrt) {
        List<Node> all = Region.flatten(nodes);
        Set<Node> varied = new HashSet<>(wrt);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Node n : all) {
                if (!n.kind().isDifferentiable() || varied.contains(n)) continue;
                boolean v = false;
                switch (n.op()) {
                    case RESULT -> {
                        Node owner = n.in(0);
                        int k = (int) n.attrs().integer();
                        if (owner.op() == Op.IF) {
                            for (Region r : owner.regions()) v |= varied.contains(r.yields().get(k));
                        } else {
                            v = varied.contains(owner.regions().get(1).args().get(k));
                        }
                    }
                    default -> {
                        for (Node in : n.inputs()) v |= varied.contains(in);
                    }
                }
                if (v) {
                    varied.add(n);
                    changed = true;
                }
            }
            for (Node n : all) { // a loop's carried value varies if its initial or next value does
                if (n.op() != Op.LOOP) continue;
                Region body = n.regions().get(1);
                for (int j = 0; j < body.args().size(); j++) {
                    Node a = body.args().get(j);
                    if (!a.kind().isDifferentiable() || varied.contains(a)) continue;
                    if (varied.contains(n.in(j)) || varied.contains(body.yields().get(j))) {
                        varied.add(a);
                        changed = true;
                    }
                }
            }
        }
        varied.retainAll(useful(nodes, all, result));
        return varied;
    }

    /**
     * The values the result depends on: through inputs, and through branches and loops (a result
     * of an IF on what its branches yield, a loop's carried value on its initial and next values).
     * A value outside this set gets no adjoint: in a loop, 0 times a local derivative that
     * overflowed would be NaN where the contract says 0.
     */
    private static Set<Node> useful(List<Node> nodes, List<Node> all, Node result) {
        Set<Node> useful = new HashSet<>();
        useful.add(result);
        if (nodes.stream().noneMatch(n -> n.op().hasRegions())) { // straight-line: one backward sweep
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node n = nodes.get(i);
                if (useful.contains(n)) useful.addAll(n.inputs());
            }
            return useful;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = all.size() - 1; i >= 0; i--) {
                Node n = all.get(i);
                if (!useful.contains(n)) continue;
                for (Node in : n.inputs()) changed |= useful.add(in);
                if (n.op() == Op.RESULT) {
                    Node owner = n.in(0);
                    int k = (int) n.attrs().integer();
                    if (owner.op() == Op.IF) {
                        for (Region r : owner.regions()) changed |= useful.add(r.yields().get(k));
                    } else if (k < owner.regions().get(1).args().size()) {
                        changed |= useful.add(owner.regions().get(1).args().get(k));
                    }
                }
            }
            for (Node n : all) { // a carried value: its initial and next values
                if (n.op() != Op.LOOP) continue;
                Region body = n.regions().get(1);
                for (int j = 0; j < body.args().size(); j++) {
                    if (!useful.contains(body.args().get(j))) continue;
                    changed |= useful.add(n.in(j));
                    changed |= useful.add(body.yields().get(j));
                }
            }
        }
        return useful;
    }

    /** Adjoints are named after their primal value: {@code d_x} for {@code x}. */
    static String adjointName(Node primal) {
        String name = primal.name();
        return "d_" + (name.startsWith("$") ? name.substring(1) : name);
    }
}
