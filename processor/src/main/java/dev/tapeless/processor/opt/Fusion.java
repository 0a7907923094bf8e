package dev.tapeless.processor.opt;

import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Region;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which loops of a gradient can run their reverse in the same pass as the forward loop: a loop
 * whose reverse only adds up (the typical sum over data, {@code s += f(x[i])}). Each iteration of
 * such a reverse loop undoes one forward iteration with adjoints that do not change from one
 * iteration to the next, and adds its contributions into sums and adjoint arrays, which any order
 * of iterations adds up alike (to rounding). So the reverse body can run right after the forward
 * body, in the same iteration: nothing is saved or read a second time, and the trip count is not
 * needed. The optimizer does the rewrite ({@link Optimizer}); this class decides where.
 *
 * <p>A loop {@code F} and its reverse {@code R}, in one list of nodes, fuse when:
 * <ul>
 *   <li>{@code R} carries, besides its counter (read only to count down), only sums: a number or
 *       tensor whose next value is itself plus something else, or an adjoint array that the body
 *       only accumulates into ({@code d_a[i] += g}; no read, no overwrite);
 *   <li>everything {@code R} reads from outside it is made before {@code F}, or between {@code F}
 *       and {@code R} by nodes that can move before {@code F}: they read nothing {@code F} makes,
 *       have no regions, cannot throw, and read no upstream adjoint (a pullback's runs later);
 *   <li>nothing else between them reads an adjoint array that moves (it would see the sums early).
 * </ul>
 * An adjoint array that starts as zeros and gets one accumulation per iteration at an index that
 * steps by one ({@code d_x[i] += g}, {@code i++}) gets each element once: it is written
 * ({@code d_x[i] = g}), not read and added to.
 */
final class Fusion {
    private Fusion() {}

    /**
     * A forward loop's fusion with its reverse.
     *
     * @param reverse the reverse loop
     * @param counter the index of the reverse loop's counter among its carried values
     * @param hoisted the nodes between the two loops that must move before the forward loop, in order
     * @param stores the accumulations into fresh adjoint arrays that become plain writes
     */
    record Plan(Node reverse, int counter, List<Node> hoisted, Set<Node> stores) {}

    /** The loops of {@code nodes} (at any depth) that fuse with their reverse, each with its plan. */
    static Map<Node, Plan> plan(List<Node> nodes) {
        Map<Node, Plan> out = new LinkedHashMap<>();
        plan(nodes, out);
        return out;
    }

    private static void plan(List<Node> list, Map<Node, Plan> out) {
        for (int i = 0; i < list.size(); i++) {
            Node f = list.get(i);
            for (Region r : f.regions()) plan(r.nodes(), out);
            if (f.op() != Op.LOOP) continue;
            for (int j = i + 1; j < list.size(); j++) {
                Node r = list.get(j);
                if (r.op() == Op.LOOP && r.regions().get(1).reverseOf() == f.regions().get(1)) {
                    Plan p = planFor(list, i, j);
                    if (p != null) out.put(f, p);
                    break;
                }
            }
        }
    }

    private static Plan planFor(List<Node> list, int fAt, int rAt) {
        Node f = list.get(fAt);
        Node r = list.get(rAt);
        Region cond = r.regions().get(0);
        Region body = r.regions().get(1);
        List<Node> args = body.args();
        List<Node> inside = Region.flatten(List.of(r));
        Map<Node, Integer> uses = new HashMap<>();
        for (Node n : inside) for (Node in : n.inputs()) uses.merge(in, 1, Integer::sum);
        for (Region reg : r.regions()) for (Node y : reg.yields()) uses.merge(y, 1, Integer::sum);

        // The counter: for (int k = trips; k > 0; k--), read by nothing else.
        Node test = cond.yields().get(0);
        if (test.op() != Op.GT || !test.in(1).isConst(0) || !args.contains(test.in(0))) return null;
        int counter = args.indexOf(test.in(0));
        Node k = args.get(counter);
        Node next = body.yields().get(counter);
        if (next.op() != Op.SUB || next.in(0) != k || !next.in(1).isConst(1)) return null;
        if (!cond.nodes().stream().allMatch(n -> n == test || n.op() == Op.CONST)) return null;
        Node trips = r.in(counter);
        if (trips.op() != Op.RESULT || trips.in(0) != f || trips.attrs().integer() != f.regions().get(1).args().size()) return null;
        long reads = 0;
        for (Node n : inside) for (Node in : n.inputs()) if (in == k) reads++;
        if (reads != 2) return null; // the test and the count down
        for (int at = rAt + 1; at < list.size(); at++) {
            Node n = list.get(at);
            boolean readsCounterOrTrips = n.op() == Op.RESULT && n.in(0) == r
                    && (n.attrs().integer() == counter || n.attrs().integer() == args.size());
            if (readsCounterOrTrips) return null;
        }

        // Every other carried value is a sum.
        Set<Node> adjointRoots = new HashSet<>();
        for (int j = 0; j < args.size(); j++) {
            if (j == counter) continue;
            Node a = args.get(j);
            Node y = body.yields().get(j);
            if (y == a) continue; // never changes
            if (a.kind().isArray()) {
                adjointRoots.add(Graph.arrayRoot(r.in(j)));
            } else {
                boolean sum = y.op() == Op.ADD && (y.in(0) == a) != (y.in(1) == a) && uses.getOrDefault(a, 0) == 1
                        && y.region() == body;
                if (!sum) return null;
            }
        }
        for (Node n : inside) {
            boolean readsOrOverwrites = (n.op() == Op.LOAD || n.op() == Op.STORE) && n.in(0).kind().isArray()
                    && adjointRoots.contains(Graph.arrayRoot(n.in(0)));
            if (readsOrOverwrites) return null;
        }

        // What the reverse loop reads from outside it, and what must move before the forward loop.
        Set<Node> own = new HashSet<>(inside);
        for (Node n : inside) for (Region reg : n.regions()) own.addAll(reg.args());
        Set<Node> between = new HashSet<>(list.subList(fAt + 1, rAt));
        Set<Node> forward = new HashSet<>(Region.flatten(List.of(f)));
        for (Region reg : f.regions()) forward.addAll(reg.args());
        for (Node n : Region.flatten(List.of(f))) for (Region reg : n.regions()) forward.addAll(reg.args());
        Set<Node> hoisted = new HashSet<>();
        List<Node> work = new ArrayList<>();
        for (int j = 0; j < r.inputs().size(); j++) if (j != counter) work.add(r.in(j));
        for (Node n : inside) if (n != r) for (Node in : n.inputs()) if (!own.contains(in)) work.add(in);
        for (Region reg : r.regions()) for (Node y : reg.yields()) if (!own.contains(y)) work.add(y);
        for (Node n : inside) for (Region reg : n.regions()) for (Node y : reg.yields()) if (!own.contains(y)) work.add(y);
        Set<Node> condValues = new HashSet<>(Region.flatten(f.regions().get(0).nodes()));
        while (!work.isEmpty()) {
            Node x = work.remove(work.size() - 1);
            if (x == f || condValues.contains(x)) return null;
            if (forward.contains(x)) continue; // the fused body sees F's values
            if (x.op() == Op.SEED) return null;
            if (!between.contains(x)) {
                if (x.region() != null && !isAround(x.region(), list)) return null; // in some other region
                continue; // made before F (or around both)
            }
            if (!hoisted.add(x)) continue;
            if (x.op().hasRegions() || x.op() == Op.RESULT || x.op() == Op.SEED || x.throwsOnZeroDivisor()) return null;
            boolean arrayOp = x.op() == Op.LOAD || x.op() == Op.STORE || x.op() == Op.ACCUM || x.op() == Op.NEW_ARRAY;
            if (arrayOp && !adjointArray(x.in(0))) return null;
            if (x.op() == Op.NEW_ARRAY) return null;
            work.addAll(x.inputs());
        }
        // A node left between the loops must not read an adjoint array that moves before them.
        for (Node n : Region.flatten(list.subList(fAt + 1, rAt))) {
            if (hoisted.contains(n)) continue;
            for (Node in : n.inputs()) if (in.kind().isArray() && hoisted.contains(in)) return null;
        }
        for (int j = 0; j < args.size(); j++) {
            if (j == counter || !args.get(j).kind().isArray()) continue;
            for (Node n : Region.flatten(list.subList(fAt + 1, rAt))) {
                if (hoisted.contains(n)) continue;
                for (Node in : n.inputs()) if (in == r.in(j)) return null;
            }
        }

        List<Node> order = new ArrayList<>();
        for (Node n : list.subList(fAt + 1, rAt)) if (hoisted.contains(n)) order.add(n);
        return new Plan(r, counter, order, writesOnce(f, r, counter));
    }

    /** Whether {@code region} is one that holds {@code list} or a region around it. */
    private static boolean isAround(Region region, List<Node> list) {
        if (list.isEmpty()) return false;
        for (Region x = list.get(0).region(); x != null; x = x.parent()) if (x == region) return true;
        return false;
    }

    /** Whether an array value is a version of an adjoint array (zeros made by the reverse pass). */
    private static boolean adjointArray(Node a) {
        return a.kind().isArray() && Graph.arrayRoot(a).op() == Op.ZEROS_LIKE;
    }

    /**
     * The accumulations of the reverse body into adjoint arrays that start as zeros and get one
     * accumulation per iteration, at an index the forward loop steps by one: each element is
     * written once, so {@code d[i] += g} is {@code d[i] = g}.
     */
    private static Set<Node> writesOnce(Node f, Node r, int counter) {
        Region fBody = f.regions().get(1);
        Region body = r.regions().get(1);
        Set<Node> out = new HashSet<>();
        for (int j = 0; j < body.args().size(); j++) {
            Node a = body.args().get(j);
            if (j == counter || a.kind() != Kind.DOUBLE_ARRAY || r.in(j).op() != Op.ZEROS_LIKE) continue;
            // The accumulations into it, none inside an inner loop.
            List<Node> accums = new ArrayList<>();
            boolean inInnerLoop = false;
            for (Node n : Region.flatten(body.nodes())) {
                if (n.op() != Op.ACCUM || Graph.arrayRoot(n) != Graph.arrayRoot(r.in(j))) continue;
                accums.add(n);
                for (Region x = n.region(); x != body; x = x.parent()) inInnerLoop |= x.owner().op() == Op.LOOP;
            }
            if (accums.size() != 1 || inInnerLoop) continue;
            Node index = accums.get(0).in(1);
            int at = fBody.args().indexOf(index);
            if (at < 0) continue;
            Node step = fBody.yields().get(at);
            boolean byOne = index.kind() == Kind.INT && (step.op() == Op.ADD || step.op() == Op.SUB)
                    && step.in(0) == index && (step.in(1).isConst(1) || step.in(1).isConst(-1));
            if (byOne) out.add(accums.get(0));
        }
        return out;
    }
}
