package dev.tapeless.processor;

import dev.tapeless.processor.ad.ReverseMode;
import dev.tapeless.processor.ad.Rules;
import dev.tapeless.processor.diagnostics.CompileError;
import dev.tapeless.processor.diagnostics.Message;
import dev.tapeless.processor.ir.Callee;
import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.codegen.MethodPlan;
import dev.tapeless.processor.frontend.Frontend;
import dev.tapeless.processor.ir.Function;
import dev.tapeless.processor.ir.Graph;
import dev.tapeless.processor.ir.Node;
import dev.tapeless.processor.ir.Op;
import dev.tapeless.processor.ir.Origin;
import dev.tapeless.processor.opt.CallSharing;
import dev.tapeless.processor.opt.Optimizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The middle of the pipeline for one method: from the frontend's IR, the reverse pass twice (seeded
 * with 1 for the gradient, with the caller's upstream adjoint for the pullback), each variant
 * optimized on its own, ready for the code generator.
 */
final class Pipeline {
    private Pipeline() {}

    /** @param printIr whether to keep the IR as read, as text, for {@code -Atapeless.printIr} */
    static MethodPlan plan(Frontend.Reading reading, boolean printIr) {
        try {
            return planned(reading, printIr);
        } catch (Rules.MissingDerivative e) {
            throw missing(reading, e);
        }
    }

    /**
     * The error for an argument the reverse pass needs the adjoint of, passed to a function called
     * through its companion that is not differentiated with respect to that parameter: at the argument.
     */
    private static CompileError missing(Frontend.Reading reading, Rules.MissingDerivative e) {
        Callee callee = e.call().attrs().callee();
        Callee.Param p = callee.params().get(e.parameter());
        Frontend.CallSite site = reading.callSites().get(e.call());
        if (site == null) throw new IllegalStateException(e.getMessage(), e);
        Message m = p.kind() == Kind.DOUBLE_ARRAY ? Message.CALL_ARRAY_DERIVATIVE : Message.CALL_WRT;
        List<String> wrt = callee.wrt().stream().map(n -> "'" + n + "'").toList();
        return new CompileError(site.call().getArguments().get(e.parameter()), site.unit(), m, p.name(),
                callee.shortName(), wrt.isEmpty() ? "nothing" : String.join(", ", wrt));
    }

    private static MethodPlan planned(Frontend.Reading reading, boolean printIr) {
        Function f = reading.function();
        Graph graph = f.graph();
        Node result = f.result();
        String ir = printIr ? f.print() : ""; // the text of a 2,000-statement method is not free

        Optimizer.Optimized forward = Optimizer.optimize(graph.nodes(), List.of(result));

        List<Node> forwardNodes = List.copyOf(graph.nodes()); // the second reverse pass must not reverse the first
        graph.at(Origin.NONE);
        Node one = graph.scalar(1);
        ReverseMode.Result gradient = ReverseMode.differentiate(graph, forwardNodes, result, f.wrt(), one);
        graph.at(Origin.NONE);
        Node upstream = graph.seed(reading.resultKind());
        // A rank-0 result's upstream adjoint is a number: as a double it folds into the rules
        // the way the gradient's constant 1 does (a scalar times an array, not a broadcast).
        Node seed = Graph.isRankZero(result) ? graph.apply(Op.ELEMENT, upstream) : upstream;
        ReverseMode.Result vjp = ReverseMode.differentiate(graph, forwardNodes, result, f.wrt(), seed);

        Optimizer.Optimized gradientGraph = CallSharing.share(Optimizer.optimize(graph.nodes(), roots(result, gradient), true));
        Optimizer.Optimized vjpGraph = CallSharing.share(Optimizer.optimize(graph.nodes(), roots(result, vjp)));

        List<MethodPlan.Param> params = reading.parameters().stream()
                .map(p -> new MethodPlan.Param(p.name(), p.kind(), p.inWrt(), p.differentiable()))
                .toList();
        List<String> derivatives = null;
        if (reading.custom() != null && reading.resultKind() == Kind.TENSOR) { // for the tape: Variable.custom
            derivatives = reading.custom().params().stream().map(Callee.Param::derivative).toList();
        }
        return new MethodPlan(f.name(), f.name(), params, reading.resultKind(), forward, gradientGraph, vjpGraph, ir,
                derivatives, reading.callable());
    }

    private static List<Node> roots(Node result, ReverseMode.Result r) {
        List<Node> roots = new ArrayList<>();
        roots.add(result);
        roots.addAll(r.gradients());
        return roots;
    }
}
