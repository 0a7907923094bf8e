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
    /** Values declared before the top-level branch that computes them. */
    final Set<Node> hoisted = new LinkedHashSet<>();
    /** For each region of a reverse pass, the stacked values it reads back at its start. */
    final Map<Region, List<Node>> readAt = new HashMap<>();
    /** For each top-level node, the saved values whose storage is declared before it. */
    final Map<Node, List<Node>> declareBefore = new LinkedHashMap<>();
    /** For each top-level node, the stacked values whose read position starts before it. */
    final Map<Node, List<Node>> cursorBefore = new LinkedHashMap<>();

    static Saving none() {
        return new Saving();
    }

    /** The plan for a graph ({@code nodes}: its top level) that has regions. */
    static Saving of(List<Node> nodes) {
        Saving s = new Saving();
        Map<Node, Node> topOf = new HashMap<>();
        for (Node t : nodes) for (Node n : Region.flatten(List.of(t))) topOf.put(n, t);
        for (Node t : nodes) {
            for (Node n : Region.flatten(List.of(t))) {
                for (Region r : n.regions()) for (Node a : r.args()) topOf.put(a, t);
            }
        }
        for (Node u : Region.flatten(nodes)) {
            for (Node v : u.inputs()) s.check(v, u.op().hasRegions() ? u.region() : u.region(), topOf);
            for (Region r : u.regions()) for (Node v : r.yields()) s.check(v, r, topOf);
        }
        return s;
    }

    /** Records {@code v} as saved if it is read from {@code at} (a region, or null: the top level) where it is not visible. */
    private void check(Node v, Region at, Map<Node, Node> topOf) {
        Region home = v.region();
        if (v.op() == Op.CONST || v.op() == Op.UNDEF) return; // written as literals wherever they are read
        if (home == null || visible(v, at) || stacked.contains(v) || hoisted.contains(v)) return;
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
        stacked.add(v);
        s(declareBefore, top).add(v);
        readAt.computeIfAbsent(reader, k -> new ArrayList<>()).add(v);
        Node readerTop = reader.owner();
        while (readerTop.region() != null) readerTop = readerTop.region().owner();
        s(cursorBefore, readerTop).add(v);
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
            case VOID -> throw new IllegalArgumentException("nothing to save");
        };
    }
}
