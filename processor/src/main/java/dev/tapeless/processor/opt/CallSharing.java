package dev.tapeless.processor.opt;

import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Callee;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In straight-line code, a call through a companion and the gradient records of its callee
 * ({@code CALL_GRADIENT}, one per upstream adjoint) share one forward pass of the callee:
 *
 * <pre>{@code
 * y = C.f(a, b)                      v = C.fVjp(a, b); y = v.value()
 * p = C.fVjp(a, b).pullback(g)       p = v.pullback(g)
 * d_a = p.a(); d_b = p.b()           d_a = p.a(); d_b = p.b()
 * }</pre>
 *
 * Calls in branches and loops keep the first form: their gradients run in another region than the
 * call, where the Vjp would have to be saved per iteration.
 */
public final class CallSharing {
    private CallSharing() {}

    public static Optimizer.Optimized share(Optimizer.Optimized o) {
        List<Node> nodes = o.nodes();
        if (nodes.stream().anyMatch(n -> n.op().hasRegions())) return o;
        Map<Object, Node> calls = new HashMap<>();
        for (Node n : nodes) {
            if (n.op() == Op.CALL && n.attrs().callee().way() == Callee.Way.COMPANION) calls.put(callKey(n, n.inputs().size()), n);
        }
        java.util.Set<Node> shared = new java.util.HashSet<>();
        for (Node n : nodes) {
            if (n.op() != Op.CALL_GRADIENT) continue;
            Node call = calls.get(callKey(n, n.inputs().size() - 1));
            if (call != null) shared.add(call);
        }
        if (shared.isEmpty()) return o;

        Graph g = new Graph();
        Map<Node, Node> mapped = new HashMap<>();
        Map<Node, Node> vjps = new HashMap<>();
        for (Node n : nodes) {
            g.at(n.origin());
            List<Node> in = n.inputs().stream().map(mapped::get).toList();
            Node copy;
            Node call = n.op() == Op.CALL_GRADIENT ? calls.get(callKey(n, n.inputs().size() - 1)) : null;
            if (n.op() == Op.CALL && shared.contains(n)) {
                Node vjp = g.add(Op.CALL_VJP, in, n.attrs(), Kind.OBJECT, n.name() + "Vjp");
                vjps.put(n, vjp);
                copy = g.add(Op.CALL_VALUE, List.of(vjp), n.attrs(), n.kind(), n.name());
            } else if (call != null) {
                copy = g.add(Op.CALL_PULLBACK, List.of(vjps.get(call), in.get(in.size() - 1)), n.attrs(), Kind.OBJECT, n.name());
            } else {
                copy = g.add(n.op(), in, n.attrs(), n.kind(), n.name());
            }
            mapped.put(n, copy);
        }
        return new Optimizer.Optimized(g.nodes(), o.roots().stream().map(mapped::get).toList());
    }

    private static Object callKey(Node n, int arguments) {
        return List.of(n.attrs().callee(), n.inputs().subList(0, arguments));
    }
}
