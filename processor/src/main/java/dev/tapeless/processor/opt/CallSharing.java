package dev.tapeless.processor.opt;

import dev.tapeless.processor.ir.Attrs;
import dev.tapeless.processor.ir.Callee;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In straight-line code, a call through a companion and the adjoints of its parameters share one
 * forward pass of the callee and one pullback per upstream adjoint:
 *
 * <pre>{@code
 * y = C.f(a, b)                          v = C.fVjp(a, b); y = v.value()
 * d_a = C.fVjp(a, b).pullback(g).a()     p = v.pullback(g); d_a = p.a()
 * d_b = C.fVjp(a, b).pullback(g).b()     d_b = p.b()
 * }</pre>
 *
 * Calls in branches and loops keep the first form: their adjoints run in another region than the
 * call, where the Vjp would have to be saved per iteration.
 */
public final class CallSharing {
    private CallSharing() {}

    public static Optimizer.Optimized share(Optimizer.Optimized o) {
        List<Node> nodes = o.nodes();
        if (nodes.stream().anyMatch(n -> n.op().hasRegions())) return o;
        // Adjoints by the call they belong to (same callee, same arguments).
        Map<Node, List<Node>> adjoints = new HashMap<>();
        Map<Object, Node> calls = new HashMap<>();
        for (Node n : nodes) {
            if (n.op() == Op.CALL && n.attrs().callee().way() == Callee.Way.COMPANION) calls.put(callKey(n, n.inputs().size()), n);
        }
        for (Node n : nodes) {
            if (n.op() != Op.CALL_ADJOINT || n.attrs().callee().way() != Callee.Way.COMPANION) continue;
            Node call = calls.get(callKey(n, n.inputs().size() - 1));
            if (call != null) adjoints.computeIfAbsent(call, k -> new ArrayList<>()).add(n);
        }
        if (adjoints.isEmpty()) return o;

        Graph g = new Graph();
        Map<Node, Node> mapped = new HashMap<>();
        Map<Node, Node> vjps = new HashMap<>();
        Map<List<Node>, Node> pullbacks = new LinkedHashMap<>();
        for (Node n : nodes) {
            g.at(n.origin());
            List<Node> in = n.inputs().stream().map(mapped::get).toList();
            Node copy;
            if (n.op() == Op.CALL && adjoints.containsKey(n)) {
                Callee c = n.attrs().callee();
                Node vjp = g.add(Op.CALL_VJP, in, Attrs.call(c, 0), dev.tapeless.processor.ir.Kind.OBJECT, n.name() + "Vjp");
                vjps.put(n, vjp);
                copy = g.add(Op.CALL_VALUE, List.of(vjp), Attrs.call(c, 0), n.kind(), n.name());
            } else if (n.op() == Op.CALL_ADJOINT && vjps.containsKey(calls.get(callKey(n, n.inputs().size() - 1)))) {
                Callee c = n.attrs().callee();
                Node call = calls.get(callKey(n, n.inputs().size() - 1));
                Node vjp = vjps.get(call);
                Node upstream = in.get(in.size() - 1);
                Node pullback = pullbacks.computeIfAbsent(List.of(vjp, upstream), k -> g.add(Op.CALL_PULLBACK,
                        List.of(vjp, upstream), Attrs.call(c, 0), dev.tapeless.processor.ir.Kind.OBJECT, call.name() + "Gradient"));
                copy = g.add(Op.CALL_COMPONENT, List.of(pullback), n.attrs(), n.kind(), n.name());
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
