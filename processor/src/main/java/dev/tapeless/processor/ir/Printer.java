package dev.tapeless.processor.ir;

import java.util.List;
import java.util.stream.Collectors;

/**
 * IR as text: one line per node, regions indented under the IF or LOOP that holds them, for tests,
 * for debugging, and for users curious about it ({@code -Atapeless.printIr}).
 */
public final class Printer {
    private Printer() {}

    public static String print(List<Node> nodes, List<Node> roots) {
        StringBuilder out = new StringBuilder();
        print(nodes, "", out);
        out.append("return ").append(list(roots));
        return out.append('\n').toString();
    }

    private static void print(List<Node> nodes, String indent, StringBuilder out) {
        for (Node n : nodes) {
            out.append(indent).append(line(n)).append('\n');
            if (!n.op().hasRegions()) continue;
            String[] names = n.op() == Op.IF ? new String[] {"then", "else"} : new String[] {"cond", "body"};
            for (int i = 0; i < n.regions().size(); i++) {
                Region r = n.regions().get(i);
                out.append(indent).append("  ").append(names[i]);
                if (!r.args().isEmpty() && i == 0) out.append(" (carried ").append(list(r.args())).append(')');
                if (r.reverseOf() != null) out.append(" (reverse)");
                out.append(":\n");
                print(r.nodes(), indent + "    ", out);
                out.append(indent).append("    yield ").append(list(r.yields())).append('\n');
            }
        }
    }

    private static String list(List<Node> nodes) {
        return nodes.stream().map(Node::toString).collect(Collectors.joining(", "));
    }

    public static String line(Node n) {
        String attrs = n.op() == Op.RESULT ? Long.toString(n.attrs().integer()) : n.attrs().describe(n.op(), n.kind());
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
