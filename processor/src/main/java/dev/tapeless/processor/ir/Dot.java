package dev.tapeless.processor.ir;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A method's gradient as a Graphviz graph ({@code -Atapeless.graph=DIR}): the forward pass (what
 * the value depends on) in one cluster, the reverse pass in another, each value labelled with the
 * source name it carries, its op and its line. Edges into the reverse pass are red; the forward
 * values whose elements the reverse pass reads (what a Vjp keeps) have a double border, and their
 * edges into it are dashed; an edge that reads only a shape is dotted; a branch's or a loop's
 * blocks are clusters of their own.
 */
public final class Dot {
    private Dot() {}

    private static final String REVERSE = "#c0392b";

    /** @param title {@code Seed.loss}; {@code roots}: the value, then the gradient's components */
    public static String of(String title, List<Node> nodes, List<Node> roots) {
        List<Node> all = Region.flatten(nodes);
        Set<Node> forward = forward(all, roots.get(0));
        Set<Node> kept = new HashSet<>();
        for (Node n : all) {
            if (forward.contains(n)) continue;
            for (int i = 0; i < n.inputs().size(); i++) {
                Node in = n.in(i);
                if (forward.contains(in) && !in.op().isLeaf() && !n.op().readsOnlyShapeOf(i)) kept.add(in);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("digraph \"").append(escape(title)).append("\" {\n");
        out.append("  label=\"").append(escape(title)).append(": forward pass, reverse pass (red), values the reverse pass reads"
                + " (double border, dashed), shapes only (dotted)\";\n");
        out.append("  labelloc=t; fontname=\"Helvetica\"; rankdir=TB;\n");
        out.append("  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=rounded];\n");
        out.append("  edge [color=\"#555555\", arrowsize=0.6];\n");
        for (boolean reverse : new boolean[] {false, true}) {
            out.append("  subgraph cluster_").append(reverse ? "reverse" : "forward").append(" {\n");
            out.append("    label=\"").append(reverse ? "reverse pass" : "forward pass").append("\"; color=\"")
                    .append(reverse ? REVERSE : "#2c3e50").append("\"; fontcolor=\"").append(reverse ? REVERSE : "#2c3e50")
                    .append("\";\n");
            nodesOf(nodes, forward, kept, reverse, roots, "    ", out);
            out.append("  }\n");
        }
        for (Node n : all) {
            for (int i = 0; i < n.inputs().size(); i++) {
                Node in = n.in(i);
                boolean intoReverse = !forward.contains(n);
                out.append("  n").append(in.id()).append(" -> n").append(n.id());
                String style = n.op().readsOnlyShapeOf(i) ? "dotted" : intoReverse && forward.contains(in) ? "dashed" : null;
                if (intoReverse || style != null) {
                    out.append(" [").append(intoReverse ? "color=\"" + REVERSE + "\"" : "")
                            .append(intoReverse && style != null ? ", " : "").append(style != null ? "style=" + style : "").append("]");
                }
                out.append(";\n");
            }
            for (Region r : n.regions()) {
                for (Node y : r.yields()) {
                    out.append("  n").append(y.id()).append(" -> n").append(n.id()).append(" [style=dotted];\n");
                }
            }
        }
        return out.append("}\n").toString();
    }

    private static void nodesOf(List<Node> nodes, Set<Node> forward, Set<Node> kept, boolean reverse, List<Node> roots,
            String indent, StringBuilder out) {
        for (Node n : nodes) {
            if (forward.contains(n) == reverse) continue;
            out.append(indent).append('n').append(n.id()).append(" [label=\"").append(escape(label(n))).append('"');
            if (n.op() == Op.PARAM || n.op() == Op.SEED) out.append(", shape=ellipse, style=filled, fillcolor=\"#ecf0f1\"");
            if (n.op() == Op.CONST) out.append(", shape=plaintext");
            if (kept.contains(n)) out.append(", peripheries=2");
            if (reverse) out.append(", color=\"").append(REVERSE).append("\", fontcolor=\"").append(REVERSE).append('"');
            if (roots.contains(n)) out.append(", penwidth=2");
            out.append("];\n");
            for (int i = 0; i < n.regions().size(); i++) {
                Region r = n.regions().get(i);
                out.append(indent).append("subgraph cluster_r").append(n.id()).append('_').append(i).append(" {\n");
                out.append(indent).append("  label=\"").append(regionName(n, i)).append("\"; style=dashed;\n");
                for (Node a : r.args()) {
                    out.append(indent).append("  n").append(a.id()).append(" [label=\"").append(escape(label(a)))
                            .append("\", shape=ellipse];\n");
                }
                nodesOf(r.nodes(), forward, kept, reverse, roots, indent + "  ", out);
                out.append(indent).append("}\n");
            }
        }
    }

    private static String regionName(Node owner, int i) {
        String name = owner.op() == Op.IF ? (i == 0 ? "then" : "else") : (i == 0 ? "loop condition" : "loop body");
        Region r = owner.regions().get(i);
        return r.reverseOf() != null ? name + " (reverse)" : name;
    }

    /** {@code t = add (line 10)}: the source name, the op and its attributes, the line. */
    static String label(Node n) {
        String name = n.name().isEmpty() || n.name().startsWith("$") ? "" : n.name();
        String op = switch (n.op()) {
            case PARAM -> "";
            case CONST -> n.attrs().describe(n.op(), n.kind());
            default -> {
                String attrs = n.op() == Op.RESULT ? Long.toString(n.attrs().integer()) : n.attrs().describe(n.op(), n.kind());
                yield n.op().displayName() + (attrs.isEmpty() ? "" : "[" + attrs + "]");
            }
        };
        StringBuilder s = new StringBuilder();
        if (!name.isEmpty()) s.append(name);
        if (!op.isEmpty()) s.append(s.length() > 0 ? " = " : "").append(op);
        if (n.origin().line() > 0) s.append("\\n").append(n.origin().file()).append(':').append(n.origin().line());
        return s.toString();
    }

    /** The values {@code value} depends on, with every value in the regions of a branch or loop it depends on. */
    private static Set<Node> forward(List<Node> all, Node value) {
        Set<Node> out = new HashSet<>();
        Deque<Node> work = new ArrayDeque<>(List.of(value));
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (!out.add(n)) continue;
            work.addAll(n.inputs());
            if (n.op() == Op.RESULT) work.add(n.in(0));
            for (Region r : n.regions()) {
                work.addAll(r.args());
                work.addAll(r.nodes());
                work.addAll(r.yields());
            }
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("\"", "\\\"");
    }
}
