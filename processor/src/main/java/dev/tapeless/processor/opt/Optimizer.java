package dev.tapeless.processor.opt;

import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Region;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
    /** CSE tables, innermost region first: a value may be reused in its region and the regions inside it. */
    private final Deque<Map<Node.Key, Node>> scopes = new ArrayDeque<>(List.of(new HashMap<>()));
    /**
     * For each open region from the top level in (index = depth), whether it is a loop's condition
     * or body: what a loop computes from values made before it is made before it, once
     * (loop-invariant code motion), and only out of loops (a branch's values run only where taken).
     */
    private final List<Boolean> loopLevels = new ArrayList<>(List.of(false));
    /** The depth of the list each node of {@link #out} is in (0: the top level). */
    private final Map<Node, Integer> levels = new HashMap<>();
    private final Map<Node, Node> mapped = new HashMap<>();
    /** For each IF or LOOP copied, the new index of each old result index that is kept. */
    private final Map<Node, Map<Integer, Integer>> resultIndex = new HashMap<>();
    /** For each IF or LOOP folded away, the values of its results. */
    private final Map<Node, Map<Integer, Node>> folded = new HashMap<>();
    private final Map<Region, Region> regions = new HashMap<>();
    /** For each IF and LOOP, the indices of its results that some live node reads, in order. */
    private final Map<Node, java.util.SortedSet<Integer>> liveResults = new HashMap<>();

    /** The forward loops to fuse with their reverse, this pass ({@link Fusion}). */
    private final Map<Node, Fusion.Plan> fusing = new HashMap<>();
    /** Nodes made out of their turn: the reverse loops fused, the nodes moved before them. */
    private final Set<Node> madeEarly = new HashSet<>();
    /** Accumulations written as plain writes (each element of a fresh adjoint array once). */
    private final Set<Node> storeInstead = new HashSet<>();

    private Optimizer() {}

    public static Optimized optimize(List<Node> nodes, List<Node> roots) {
        return optimize(nodes, roots, false);
    }

    /**
     * @param fuse whether loops whose reverse only adds up run it in the same pass ({@link Fusion}):
     *     for a gradient, never for a pullback, whose reverse runs later than its forward pass
     */
    public static Optimized optimize(List<Node> nodes, List<Node> roots, boolean fuse) {
        Optimized once = settle(optimizeOnce(nodes, roots, Map.of()));
        // Fusing two loops can put an inner loop and its reverse side by side: they may fuse next.
        for (int round = 0; fuse && round < 4; round++) {
            Map<Node, Fusion.Plan> plans = Fusion.plan(once.nodes());
            if (plans.isEmpty()) break;
            once = settle(optimizeOnce(once.nodes(), once.roots(), plans));
        }
        return once;
    }

    private static Optimized settle(Optimized once) {
        // Folding a branch or a loop can leave values in regions that nothing reads (and that read
        // values dropped from the top level): further passes drop them, until none is left
        // (straight-line code needs none: its dead values are dropped at the end of the pass).
        // So can a carried value whose next value simplified to itself: it is a constant next pass.
        for (int pass = 0; pass < 8 && hasRegions(once.nodes()) && (hasDeadInRegions(once) || hasUnchangingCarried(once.nodes())); pass++) {
            once = optimizeOnce(once.nodes(), once.roots(), Map.of());
        }
        return once;
    }

    /** Whether some loop carries a value that its body yields unchanged. */
    private static boolean hasUnchangingCarried(List<Node> nodes) {
        for (Node n : Region.flatten(nodes)) {
            if (n.op() != Op.LOOP) continue;
            Region body = n.regions().get(1);
            for (int j = 0; j < body.args().size(); j++) if (body.yields().get(j) == body.args().get(j)) return true;
        }
        return false;
    }

    private static boolean hasDeadInRegions(Optimized o) {
        Set<Node> live = live(o.nodes(), withEffects(o.nodes(), o.roots()));
        for (Node n : Region.flatten(o.nodes())) {
            if (n.region() != null && !live.contains(n) && !n.op().isLeaf()) return true;
            if (n.op() == Op.LOOP) { // a carried value nothing reads
                for (Node a : n.regions().get(1).args()) if (!live.contains(a)) return true;
            }
        }
        return false;
    }

    private static Optimized optimizeOnce(List<Node> nodes, List<Node> roots, Map<Node, Fusion.Plan> fusing) {
        Optimizer o = new Optimizer();
        o.fusing.putAll(fusing);
        Set<Node> live = live(nodes, withEffects(nodes, roots));
        for (Node n : Region.flatten(nodes)) {
            if (n.op() == Op.RESULT && live.contains(n)) {
                o.liveResults.computeIfAbsent(n.in(0), k -> new java.util.TreeSet<>()).add((int) n.attrs().integer());
            }
        }
        o.copy(nodes, live);
        List<Node> newRoots = roots.stream().map(o.mapped::get).toList();
        List<Node> effects = withEffects(o.out.nodes(), newRoots);
        Set<Node> stillLive = live(o.out.nodes(), effects);
        // A loop carries every value it was made with until the next pass drops the dead ones: the
        // values it yields stay, even where they moved out of it (an invariant next value).
        List<Node> carried = new ArrayList<>(effects);
        for (Node n : Region.flatten(o.out.nodes())) {
            if (n.op() == Op.LOOP && stillLive.contains(n)) carried.addAll(n.regions().get(1).yields());
        }
        if (carried.size() > effects.size()) stillLive = live(o.out.nodes(), carried);
        List<Node> kept = o.out.nodes().stream().filter(stillLive::contains).toList();
        return new Optimized(kept, newRoots);
    }

    private static boolean hasRegions(List<Node> nodes) {
        for (Node n : nodes) if (n.op().hasRegions()) return true;
        return false;
    }

    /** Copies the live nodes of one list (the top level, or a region's) into the current list of {@link #out}. */
    private void copy(List<Node> nodes, Set<Node> live) {
        for (Node n : nodes) {
            if (!live.contains(n) || madeEarly.contains(n)) continue;
            out.at(n.origin());
            switch (n.op()) {
                case IF -> copyIf(n, live);
                case LOOP -> {
                    if (fusing.containsKey(n)) copyFused(n, fusing.get(n), live);
                    else copyLoop(n, live);
                }
                case RESULT -> {
                    Node owner = n.in(0);
                    int index = (int) n.attrs().integer();
                    Map<Integer, Node> f = folded.get(owner);
                    Node fixed = f != null ? f.get(index) : null;
                    Node copy = fixed != null ? fixed
                            : out.result(mapped.get(owner), resultIndex.get(owner).get(index), n.kind(), n.name());
                    if (fixed == null) levels.put(copy, loopLevels.size() - 1);
                    if (!n.name().startsWith("$")) out.name(copy, n.name());
                    mapped.put(n, copy);
                }
                default -> copyNode(n);
            }
        }
    }

    private void copyNode(Node n) {
        Node copy;
        if (n.op().isLeaf()) {
            copy = intern(n.op(), n.attrs(), n.kind(), n.name(), List.of());
        } else {
            for (Node i : n.inputs()) {
                // A constant made in a loop's region and read by a value moved before the loop: made here.
                if (!mapped.containsKey(i) && (i.op() == Op.CONST || i.op() == Op.UNDEF)) copyNode(i);
            }
            Node[] in = n.inputs().stream().map(mapped::get).toArray(Node[]::new);
            int before = out.nextId();
            copy = make(storeInstead.contains(n) ? Op.STORE : n.op(), n.attrs(), in);
            // A source name carries over; an adjoint's name only to a node of the reverse pass,
            // never to the forward value it simplified to (that would call a primal value d_x).
            boolean sourceName = !n.name().startsWith("$");
            boolean fits = !n.origin().adjoint() || copy.origin().adjoint() || copy.id() >= before;
            if (sourceName && fits) out.name(copy, n.name());
        }
        mapped.put(n, copy);
    }

    private void copyIf(Node n, Set<Node> live) {
        Node condition = mapped.get(n.in(0));
        List<Integer> kept = new ArrayList<>(liveResults.getOrDefault(n, new java.util.TreeSet<>()));
        if (condition.op() == Op.CONST) { // the branch taken is known: its nodes, in place
            Region taken = n.regions().get(condition.attrs().integer() != 0 ? 0 : 1);
            copy(taken.nodes(), live);
            Map<Integer, Node> values = new HashMap<>();
            for (int k : kept) values.put(k, mapped.get(taken.yields().get(k)));
            folded.put(n, values);
            return;
        }
        List<Region> copies = new ArrayList<>();
        for (Region r : n.regions()) {
            out.beginRegion();
            enter(false);
            copy(r.nodes(), live);
            leave();
            copies.add(endRegion(r, List.of(), kept.stream().map(k -> mapped.get(r.yields().get(k))).toList()));
        }
        out.at(n.origin());
        Node copy = out.control(Op.IF, List.of(condition), copies);
        levels.put(copy, loopLevels.size() - 1);
        mapped.put(n, copy);
        Map<Integer, Integer> index = new HashMap<>();
        Map<Integer, Node> same = new HashMap<>();
        for (int i = 0; i < kept.size(); i++) {
            index.put(kept.get(i), i);
            Node a = copies.get(0).yields().get(i);
            Node b = copies.get(1).yields().get(i);
            if (a == b && (a.region() == null || !a.region().isWithin(copies.get(0)))) same.put(kept.get(i), a);
        }
        resultIndex.put(n, index);
        if (!same.isEmpty()) folded.put(n, same); // both branches yield one value from outside: that value
    }

    private void copyLoop(Node n, Set<Node> live) {
        Region cond = n.regions().get(0);
        Region body = n.regions().get(1);
        List<Node> args = cond.args();
        Map<Integer, Node> known = new HashMap<>();
        List<Integer> carried = changing(n, live, -1, known);
        List<Node> newArgs = new ArrayList<>();
        for (int j : carried) newArgs.add(newArg(args.get(j)));
        out.beginRegion();
        enter(true);
        copy(cond.nodes(), live);
        leave();
        Region newCond = endRegion(cond, newArgs, List.of(mapped.get(cond.yields().get(0))));
        out.beginRegion();
        enter(true);
        copy(body.nodes(), live);
        leave();
        Region newBody = endRegion(body, newArgs, carried.stream().map(j -> mapped.get(body.yields().get(j))).toList());
        out.at(n.origin());
        Node copy = out.control(Op.LOOP, carried.stream().map(j -> mapped.get(n.in(j))).toList(), List.of(newCond, newBody));
        levels.put(copy, loopLevels.size() - 1);
        mapped.put(n, copy);
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < carried.size(); i++) index.put(carried.get(i), i);
        index.put(args.size(), carried.size()); // the number of iterations
        resultIndex.put(n, index);
        Node test = newCond.yields().get(0);
        if (test.isConst(0) && newCond.nodes().stream().allMatch(x -> x.op().isLeaf())) {
            // while (false): the loop never runs; its results are the initial values (DCE drops it).
            for (int j = 0; j < args.size(); j++) known.put(j, mapped.get(n.in(j)));
            known.put(args.size(), integer(0, Kind.INT));
        }
        if (!known.isEmpty()) folded.put(n, known);
    }

    /**
     * A forward loop and its reverse as one loop ({@link Fusion}): the nodes the reverse reads from
     * between the two first, then a loop carrying the forward loop's values and the reverse's sums,
     * whose body is the forward body followed by the reverse body.
     */
    private void copyFused(Node f, Fusion.Plan plan, Set<Node> live) {
        Node r = plan.reverse();
        for (Node h : plan.hoisted()) {
            if (!live.contains(h)) continue;
            out.at(h.origin());
            copyNode(h);
            madeEarly.add(h);
        }
        madeEarly.add(r);
        madeEarly.add(r.regions().get(1).yields().get(plan.counter())); // the count down: not made at all
        storeInstead.addAll(plan.stores());
        Region cond = f.regions().get(0);
        Region body = f.regions().get(1);
        Region rBody = r.regions().get(1);
        List<Node> args = body.args();
        List<Node> rArgs = rBody.args();
        Map<Integer, Node> known = new HashMap<>();
        List<Integer> carried = changing(f, live, -1, known);
        Map<Integer, Node> rKnown = new HashMap<>();
        List<Integer> sums = changing(r, live, plan.counter(), rKnown);
        List<Node> newArgs = new ArrayList<>();
        for (int j : carried) newArgs.add(newArg(args.get(j)));
        for (int j : sums) newArgs.add(newArg(rArgs.get(j)));
        out.beginRegion();
        enter(true);
        copy(cond.nodes(), live);
        leave();
        Region newCond = endRegion(cond, newArgs, List.of(mapped.get(cond.yields().get(0))));
        out.beginRegion();
        enter(true);
        copy(body.nodes(), live);
        copy(rBody.nodes(), live);
        leave();
        List<Node> yields = new ArrayList<>();
        for (int j : carried) yields.add(mapped.get(body.yields().get(j)));
        for (int j : sums) yields.add(mapped.get(rBody.yields().get(j)));
        Region newBody = endRegion(body, newArgs, yields);
        List<Node> inits = new ArrayList<>();
        for (int j : carried) inits.add(mapped.get(f.in(j)));
        for (int j : sums) inits.add(mapped.get(r.in(j)));
        out.at(f.origin());
        Node copy = out.control(Op.LOOP, inits, List.of(newCond, newBody));
        levels.put(copy, loopLevels.size() - 1);
        mapped.put(f, copy);
        mapped.put(r, copy);
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < carried.size(); i++) index.put(carried.get(i), i);
        index.put(args.size(), newArgs.size()); // the number of iterations
        resultIndex.put(f, index);
        Map<Integer, Integer> rIndex = new HashMap<>();
        for (int i = 0; i < sums.size(); i++) rIndex.put(sums.get(i), carried.size() + i);
        resultIndex.put(r, rIndex);
        if (!known.isEmpty()) folded.put(f, known);
        if (!rKnown.isEmpty()) folded.put(r, rKnown);
    }

    /**
     * The indices of {@code loop}'s live carried values that change (all but {@code skip}); one its
     * body yields unchanged is its initial value: mapped to it, and put in {@code known}.
     */
    private List<Integer> changing(Node loop, Set<Node> live, int skip, Map<Integer, Node> known) {
        Region body = loop.regions().get(1);
        List<Node> args = body.args();
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < args.size(); j++) {
            if (j == skip || !live.contains(args.get(j))) continue;
            if (body.yields().get(j) == args.get(j)) {
                mapped.put(args.get(j), mapped.get(loop.in(j))); // never changes: it is its initial value
                known.put(j, mapped.get(loop.in(j)));
            } else {
                out.add(j);
            }
        }
        return out;
    }

    private Node newArg(Node old) {
        Node a = out.arg(old.kind(), old.name());
        mapped.put(old, a);
        levels.put(a, loopLevels.size()); // the level of the loop's regions
        return a;
    }

    private Region endRegion(Region old, List<Node> args, List<Node> yields) {
        Region r = out.endRegion(args, yields);
        regions.put(old, r);
        if (old.reverseOf() != null) r.setReverseOf(regions.get(old.reverseOf()));
        return r;
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

    private void enter(boolean loop) {
        scopes.push(new HashMap<>());
        loopLevels.add(loop);
    }

    private void leave() {
        scopes.pop();
        loopLevels.remove(loopLevels.size() - 1);
    }

    /** The depth of the list {@code n} is in; constants are written as literals anywhere (0). */
    private int levelOf(Node n) {
        if (n.op() == Op.CONST || n.op() == Op.UNDEF) return 0;
        return levels.getOrDefault(n, 0);
    }

    /**
     * The depth a new node can be made at: out of the loops around it whose values it does not read,
     * if it is a Java number that cannot throw (an array op could fail where the loop never runs).
     */
    private int hoistLevel(Op op, Kind kind, List<Node> inputs) {
        int here = loopLevels.size() - 1;
        if (inputs.isEmpty() || kind == Kind.TENSOR || kind.isArray() || op.hasRegions() || op == Op.RESULT
                || op == Op.LOAD || op.makesArrayVersion() || op == Op.SEED) {
            return here;
        }
        if ((op == Op.DIV || op == Op.REM) && (kind == Kind.INT || kind == Kind.LONG)) return here; // may throw
        if (op == Op.LENGTH) return here; // of no array, throws
        for (Node in : inputs) if (in.kind() == Kind.TENSOR || in.kind().isArray()) return here; // reads an array
        int needed = 0;
        for (Node in : inputs) needed = Math.max(needed, levelOf(in));
        int level = here;
        while (level > needed && loopLevels.get(level)) level--;
        return level;
    }

    private Node intern(Op op, Attrs attrs, Kind kind, String name, List<Node> inputs) {
        if (op.makesArrayVersion() || op == Op.ZEROS_LIKE && kind == Kind.DOUBLE_ARRAY) {
            Node n = out.add(op, inputs, attrs, kind, name); // an array object of its own, or a write into one
            levels.put(n, loopLevels.size() - 1);
            return n;
        }
        Node.Key key = new Node.Key(op, inputs.stream().map(Node::id).toList(), attrs, kind);
        if (isCommutative(op, kind) && inputs.get(0).id() > inputs.get(1).id()) {
            // a + b and b + a are one value (for Java numbers; an array's data type follows its first operand).
            key = new Node.Key(op, List.of(inputs.get(1).id(), inputs.get(0).id()), attrs, kind);
        }
        for (Map<Node.Key, Node> scope : scopes) {
            Node existing = scope.get(key);
            if (existing != null) return existing;
        }
        int here = loopLevels.size() - 1;
        int level = hoistLevel(op, kind, inputs);
        Node n = level == here ? out.add(op, inputs, attrs, kind, name) : out.addOutside(here - level, op, inputs, attrs, kind, name);
        levels.put(n, level);
        int k = 0;
        for (Map<Node.Key, Node> scope : scopes) { // innermost first: the scope of depth level
            if (k++ == here - level) {
                scope.put(key, n);
                break;
            }
        }
        return n;
    }

    private static boolean isCommutative(Op op, Kind kind) {
        return (op == Op.ADD || op == Op.MUL) && kind != Kind.TENSOR;
    }

    /**
     * The nodes some root depends on. In an IF or LOOP that is live, a result is live when read;
     * a carried value when read (in the loop or after it), with its initial and next values; the
     * loop's condition always. A node in a region keeps the IF or LOOP around it live.
     */
    public static Set<Node> live(List<Node> nodes, List<Node> roots) {
        Set<Node> live = new HashSet<>();
        Deque<Node> work = new ArrayDeque<>(roots);
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (!live.add(n)) continue;
            if (n.region() != null) work.push(n.region().owner());
            switch (n.op()) {
                case LOOP -> {
                    // Its condition, and the initial values it is made with (a carried value found
                    // dead only after folding stays carried until the next pass drops it).
                    work.push(n.regions().get(0).yields().get(0));
                    work.addAll(n.inputs());
                }
                case ARG -> {
                    Node loop = n.region().owner();
                    int j = loop.regions().get(1).args().indexOf(n);
                    work.push(loop.in(j));
                    work.push(loop.regions().get(1).yields().get(j));
                }
                case RESULT -> {
                    Node owner = n.in(0);
                    int k = (int) n.attrs().integer();
                    work.push(owner);
                    if (owner.op() == Op.IF) {
                        for (Region r : owner.regions()) work.push(r.yields().get(k));
                    } else if (k < owner.regions().get(1).args().size()) {
                        work.push(owner.regions().get(1).args().get(k));
                    }
                }
                default -> work.addAll(n.inputs());
            }
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
        for (Node n : Region.flatten(nodes)) if (mayThrow(n)) out.add(n);
        return out;
    }

    /** An int or long division by anything but a nonzero constant. */
    public static boolean mayThrow(Node n) {
        return n.throwsOnZeroDivisor();
    }

    /** Nodes in order, restricted to those some root depends on (and those that may throw). */
    public static List<Node> prune(List<Node> nodes, List<Node> roots) {
        Set<Node> live = live(nodes, withEffects(nodes, roots));
        List<Node> kept = new ArrayList<>();
        for (Node n : nodes) if (live.contains(n)) kept.add(n);
        return kept;
    }
}
