package dev.tapeless.processor.codegen;

import dev.tapeless.processor.ir.Kind;
import dev.tapeless.processor.opt.Optimizer.Optimized;

import java.util.List;

/**
 * Everything the code generator needs for one {@code @Differentiable} method: its signature and
 * its three optimized graphs. {@code gradient} and {@code vjp} have roots {@code [value,
 * d_param...]} in the order of the differentiated parameters; {@code vjp} reads a SEED node.
 */
public record MethodPlan(
        String name,
        String javadocLink,
        List<Param> params,
        Kind resultKind,
        Optimized forward,
        Optimized gradient,
        Optimized vjp,
        String ir,
        List<String> customDerivatives,
        boolean callable) {

    /**
     * @param customDerivatives for a function over Variables with custom derivatives, the derivative
     *                          method of each parameter (null where none), which the companion lists
     *                          for the runtime tape; null for any other method
     * @param callable          whether the companion can call the source method (neither it nor
     *                          its class is private), for the method's {@code DifferentiatedMethod}
     */
    public MethodPlan {
    }

    /**
     * A parameter of the source method, in declaration order; {@code differentiable}: a Variable,
     * double or double[] (for a TENSOR, a Variable rather than an INDArray).
     */
    public record Param(String name, Kind kind, boolean differentiated, boolean differentiable) {}

    public List<Param> differentiated() {
        return params.stream().filter(Param::differentiated).toList();
    }
}
