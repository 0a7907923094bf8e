package dev.tapeless.processor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A block of nodes held by an IF or LOOP node (in the manner of MLIR's structured control flow):
 * its arguments (the values a loop carries, shared by the loop's two regions; none for a branch),
 * its nodes in order, and the values it yields to its owner. Nodes in a region may read any value
 * of the regions around it.
 *
 * <p>A region of a reverse pass knows the forward region it undoes ({@link #reverseOf}): the body
 * of a reverse loop undoes one iteration of the forward loop's body, a branch of a reverse IF the
 * same branch of the forward IF. Values of the forward region that it reads were saved there.
 */
public final class Region {
    private final List<Node> args;
    private final List<Node> nodes;
    private final List<Node> yields;
    private Node owner;
    private Region reverseOf;

    Region(List<Node> args, List<Node> nodes, List<Node> yields) {
        this.args = List.copyOf(args);
        this.nodes = List.copyOf(nodes);
        this.yields = List.copyOf(yields);
    }

    public List<Node> args() { return args; }
    public List<Node> nodes() { return nodes; }
    public List<Node> yields() { return yields; }
    /** The IF or LOOP node that holds this region. */
    public Node owner() { return owner; }
    /** The region around this one, or null for a region of a top-level node. */
    public Region parent() { return owner == null ? null : owner.region(); }
    /** For a region of a reverse pass, the forward region it undoes; else null. */
    public Region reverseOf() { return reverseOf; }

    public void setReverseOf(Region forward) {
        this.reverseOf = forward;
    }

    void setOwner(Node n) {
        this.owner = n;
    }

    /** Whether this region is {@code r} or inside it. */
    public boolean isWithin(Region r) {
        for (Region x = this; x != null; x = x.parent()) if (x == r) return true;
        return false;
    }

    /** Whether this is the condition region of a loop (index 0 of a LOOP's regions). */
    public boolean isLoopCondition() {
        return owner != null && owner.op() == Op.LOOP && owner.regions().get(0) == this;
    }

    /** {@code nodes} and, after each IF or LOOP, the nodes of its regions, recursively (preorder). */
    public static List<Node> flatten(List<Node> nodes) {
        List<Node> out = new ArrayList<>();
        flatten(nodes, out);
        return out;
    }

    private static void flatten(List<Node> nodes, List<Node> out) {
        for (Node n : nodes) {
            out.add(n);
            for (Region r : n.regions()) flatten(r.nodes(), out);
        }
    }

    /** Whether this is the body of a loop. */
    public boolean isLoopBody() {
        return owner != null && owner.op() == Op.LOOP && owner.regions().get(1) == this;
    }
}
