package dev.tapeless.processor.ir;

import java.util.List;
import java.util.stream.Collectors;

/** IR as text: one line per node, for tests, for debugging, and for users curious about it. */
public final class Printer {
    private Printer() {}

    public static String print(List<Node> nodes, List<Node> roots) {
        StringBuilder out = new StringBuilder();
        for (Node n : nodes) {
            out.append(line(n)).append('\n');
        }
        out.append("return ").append(roots.stream().map(Node::toString).collect(Collectors.joining(", ")));
        return out.append('\n').toString();
    }

    public static String line(Node n) {
        String attrs = n.attrs().describe(n.op(), n.kind());
        String args = n.inputs().stream().map(Node::toString).collect(Collectors.joining(", "));
        StringBuilder s = new StringBuilder();
        s.append(n).append(" : ").append(n.kind().name().toLowerCase(java.util.Locale.ROOT))
                .append(" = ").append(n.op().displayName());
        if (!attrs.isEmpty()) s.append('[').append(attrs).append(']');
        if (!args.isEmpty()) s.append(' ').append(args);
        if (n.origin().line() > 0) {
            s.append("    ; line ").append(n.origin().line()).append(n.origin().adjoint() ? ", adjoint" : "");
        }
        return s.toString();
    }
}
