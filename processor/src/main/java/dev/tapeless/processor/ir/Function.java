package dev.tapeless.processor.ir;

import java.util.List;

/**
 * A method read into IR: its parameters (in declaration order), the graph of its body, and the
 * value it returns. {@code wrt} are the parameters to differentiate.
 */
public record Function(String name, List<Node> params, Graph graph, Node result, List<Node> wrt) {

    public String print() {
        return Printer.print(graph.nodes(), List.of(result));
    }
}
