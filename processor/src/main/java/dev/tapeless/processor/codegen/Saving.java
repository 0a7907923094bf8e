package dev.tapeless.processor.codegen;

import com.palantir.javapoet.ClassName;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Region;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a forward pass with branches and loops keeps for its reverse pass, and where: the values
 * of a region that code outside it reads (the reverse pass reads what the forward pass computed).
 * Only what is read is kept (the to-be-recorded values of Tapenade).
 *
 * <ul>
 *   <li>A value computed in a loop's body, at any depth, is pushed onto a stack of its own each
 *       time it is computed (a loop's carried value at the start of each iteration), and read back
 *       in reverse order where the reverse pass undoes that region: at the start of each iteration
 *       of the reverse loop, or of the reverse branch.</li>
 *   <li>A value computed in a branch outside every loop is declared before the branch (its zero,
 *       if the branch is not taken) and read where it is.</li>
 * </ul>
 */
final class Saving {
    static final ClassName DOUBLE_STACK = ClassName.get("dev.tapeless.runtime.support", "DoubleStack");
    static final ClassName INT_STACK = ClassName.get("dev.tapeless.runtime.support", "IntStack");
    static final ClassName LONG_STACK = ClassName.get("dev.tapeless.runtime.support", "LongStack");
    static final ClassName BOOLEAN_STACK = ClassName.get("dev.tapeless.runtime.support", "BooleanStack");
    static final ClassName ARRAY_STACK = ClassName.get("dev.tapeless.runtime.support", "ArrayStack");

    /** Values pushed on a stack, in order of their ids. */
    final Set<Node> stacked = new LinkedHashSet<>();
    /**
     * Values computed again where the reverse pass reads them, from values it has: an element of
     * an array nothing writes, a loop counter stepped by a constant (from the reverse loop's own
     * counter). Nothing is kept for them.
     */
    final Set<Node> recomputed = new LinkedHashSet<>();
    /** Values declared before the top-level branch that computes them. */
    final Set<Node> hoisted = new LinkedHashSet<>();
    /** For each region of a reverse pass, the stacked values it reads back at its start. */
    final Map<Region, List<Node>> readAt = new HashMap<>();
    /** For each top-level node, the saved values whose storage is declared before it. */
    final Map<Node, List<Node>> declareBefore = new LinkedHashMap<>();
    /**
     * For each node, the stacked values whose read position starts before it: the IF or LOOP of a
     * reverse pass, or the one around it in the list that also holds what it undoes.
     */
    final Map<Node, List<Node>> cursorBefore = new LinkedHashMap<>();

    static Saving none() {
        return new Saving();
    }

    /** Array objects the graph writes (local arrays, adjoint accumulators): their elements are not recomputed. */
    private final Set<Node> written = new java.util.HashSet<>();

    /** The plan for a graph ({@code nodes}: its top level) that has regions. */
    static Saving of(List<Node> nodes) {
        Saving s = new Saving();
        for (Node n : Region.flatten(nodes)) {
            if (n.op() == Op.STORE || n.op() == Op.ACCUM) s.written.add(dev.tapeless.processor.ir.Graph.arrayRoot(n));
        }
        Map<Node, Node> topOf = new HashMap<>();
        for (Node t : nodes) for (Node n : Region.flatten(List.of(t))) topOf.put(n, t);
        for (Node t : nodes) {
            for (Node n : Region.flatten(List.of(t))) {
                for (Region r : n.regions()) for (Node a : r.args()) topOf.put(a, t);
            }
        }
        for (Node u : Region.flatten(nodes)) {
            for (Node v : u.inputs()) s.check(v, u.region(), topOf);
            for (Region r : u.regions()) for (Node v : r.yields()) s.check(v, r, topOf);
        }
        return s;
    }

    /** Records {@code v} as saved if it is read from {@code at} (a region, or null: the top level) where it is not visible. */
    private void check(Node v, Region at, Map<Node, Node> topOf) {
        Region home = v.region();
        if (v.op() == Op.CONST || v.op() == Op.UNDEF) return; // written as literals wherever they are read
        if (v.kind().isArray()) return; // one array object, named by the variable of its root (made at the top level)
        if (home == null || visible(v, at) || stacked.contains(v) || hoisted.contains(v) || recomputed.contains(v)) return;
        Region loop = home;
        while (loop != null && !loop.isLoopBody()) {
            if (loop.isLoopCondition()) throw new IllegalStateException("a loop condition's value " + v + " is read outside it");
            loop = loop.parent();
        }
        Node top = topOf.get(v);
        if (loop == null) {
            hoisted.add(v);
            s(declareBefore, top).add(v);
            return;
        }
        Region reader = reverseOf(home, at);
        if (reader == null) {
            throw new IllegalStateException(v + " is read outside the reverse of the region that computes it");
        }
        if (canRecompute(v, reader, topOf)) {
            recomputed.add(v);
            readAt.computeIfAbsent(reader, k -> new ArrayList<>()).add(v);
            return;
        }
        stacked.add(v);
        s(declareBefore, top).add(v);
        readAt.computeIfAbsent(reader, k -> new ArrayList<>()).add(v);
        // Read back from where the reverse region starts, in the innermost list that also holds
        // the region computing v: the top level, or a loop body that runs both (a fused loop).
        Node readerAt = reader.owner();
        while (readerAt.region() != null && !home.isWithin(readerAt.region())) readerAt = readerAt.region().owner();
        s(cursorBefore, readerAt).add(v);
    }

    /**
     * Whether {@code v} can be computed again at the start of {@code reader}: {@code a[i]} of an
     * array nothing writes, with {@code i} available there (read back first if need be); or a
     * loop's int counter stepped by a constant from an initial value visible there.
     */
    private boolean canRecompute(Node v, Region reader, Map<Node, Node> topOf) {
        if (v.op() == Op.LOAD && v.kind() != Kind.DOUBLE_ARRAY && !written.contains(dev.tapeless.processor.ir.Graph.arrayRoot(v.in(0)))
                && visible(v.in(0), reader)) {
            Node index = v.in(1);
            if (index.op() != Op.CONST && !visible(index, reader)) check(index, reader, topOf); // read back before v
            return true;
        }
        return affineStep(v) != null && reader.isLoopBody() && reader.reverseOf() == v.region()
                && (v.region().owner().in(v.region().args().indexOf(v)).op() == Op.CONST
                        || visible(v.region().owner().in(v.region().args().indexOf(v)), reader));
    }

    /** What computing {@code v} again reads: the array and index of an element, the initial value of a counter. */
    static List<Node> readsOf(Node v) {
        if (v.op() == Op.LOAD) return List.of(v.in(0), v.in(1));
        return List.of(v.region().owner().in(v.region().args().indexOf(v)));
    }

    /**
     * For a loop's int or long counter {@code i} whose next value is {@code i + c} or {@code i - c}
     * with a constant {@code c}: that next value; else null.
     */
    static Node affineStep(Node v) {
        if (v.op() != Op.ARG || (v.kind() != Kind.INT && v.kind() != Kind.LONG) || !v.region().isLoopBody()) return null;
        Node next = v.region().yields().get(v.region().args().indexOf(v));
        boolean step = (next.op() == Op.ADD || next.op() == Op.SUB) && next.in(0) == v && next.in(1).op() == Op.CONST
                && next.kind() == v.kind();
        return step ? next : null;
    }

    /**
     * The number of iterations of a top-level loop, if its condition is one comparison of a counter
     * stepped by one with a bound from before the loop: {@code i < n} counting up, {@code i >= 0}
     * counting down. Null otherwise (then stacks grow as they fill).
     */
    static Node[] countedBound(Node loop) {
        if (loop.region() != null) return null;
        Region cond = loop.regions().get(0);
        Node test = cond.yields().get(0);
        if (test.op() != Op.GT && test.op() != Op.GE) return null;
        for (Node n : cond.nodes()) if (n != test && !n.op().isLeaf() && !isTopLevelLength(n)) return null;
        for (int side = 0; side < 2; side++) {
            Node counter = test.in(side);
            Node bound = test.in(1 - side);
            Node next = affineStep(counter);
            if (next == null || counter.kind() != Kind.INT || bound.kind() != Kind.INT) continue;
            if (bound.region() != null && bound.op() != Op.CONST && !isTopLevelLength(bound)) continue;
            long c = next.in(1).attrs().integer() * (next.op() == Op.ADD ? 1 : -1);
            // bound > i counting up by one, or i > bound counting down by one.
            if (side == 1 && c == 1 || side == 0 && c == -1) {
                Node init = loop.in(counter.region().args().indexOf(counter));
                if (init.region() != null && init.op() != Op.CONST) continue;
                return new Node[] {test, bound, init};
            }
        }
        return null;
    }

    /** {@code a.length} of an array from before the loop: the same in every iteration. */
    static boolean isTopLevelLength(Node n) {
        return n.op() == Op.LENGTH && n.in(0).region() == null;
    }

    private static List<Node> s(Map<Node, List<Node>> m, Node key) {
        return m.computeIfAbsent(key, k -> new ArrayList<>());
    }

    /** The region around {@code at} (or {@code at}) that undoes {@code home}; null if none does. */
    private static Region reverseOf(Region home, Region at) {
        for (Region r = at; r != null; r = r.parent()) if (r.reverseOf() == home) return r;
        return null;
    }

    /** Whether code in region {@code at} (null: top level) can read {@code v} by its name. */
    static boolean visible(Node v, Region at) {
        Region home = v.region();
        if (home == null) return true;
        if (at == null) return false;
        if (at.isWithin(home)) return true;
        // A loop's carried values are its body's args, and its condition reads them too.
        return v.op() == Op.ARG && home.isLoopBody() && at.isWithin(home.owner().regions().get(0));
    }

    static ClassName stackType(Kind kind) {
        return switch (kind) {
            case SCALAR -> DOUBLE_STACK;
            case INT -> INT_STACK;
            case LONG -> LONG_STACK;
            case BOOL -> BOOLEAN_STACK;
            case TENSOR -> ARRAY_STACK;
            default -> throw new IllegalArgumentException("no stack for " + kind);
        };
    }
}
