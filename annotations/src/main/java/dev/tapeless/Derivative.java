package dev.tapeless;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method as the derivative of a {@code @Differentiable} method of the same class,
 * given by hand: Tapeless then does not read that method's body, and calls this method in its
 * reverse passes instead. For a call into a library Tapeless cannot read (Apache Commons Math's
 * {@code Erf}, a native routine), a numerically better formula, or a surrogate gradient (the
 * straight-through gradient of a rounding).
 *
 * <p>The derivative is a vector-Jacobian product with respect to one parameter: it takes the
 * function's parameters, in order ({@code INDArray} where the function has a {@code Variable}),
 * then the upstream adjoint of the function's result ({@code double} for a {@code double} result,
 * {@code INDArray} for a {@code Variable} one), and returns the adjoint of its parameter
 * ({@code double} for a {@code double}, {@code INDArray} for a {@code Variable}, shaped like it).
 * Every parameter the function is differentiated with respect to needs exactly one.
 *
 * <pre>{@code
 * @Differentiable
 * public static double normalCdf(double x) {
 *     return 0.5 * Erf.erfc(-x / Math.sqrt(2));          // not read by Tapeless
 * }
 *
 * @Derivative(of = "normalCdf")
 * public static double normalCdfDerivative(double x, double upstream) {
 *     return upstream * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
 * }
 * }</pre>
 *
 * <p>A function over {@code Variable}s returns {@code Variable.custom(value, its parameters...)},
 * which records one entry on the runtime tape whose backward rule calls these methods: the tape
 * and the generated code use the same derivative. The companion of the class has entry points for
 * the function like any other's, and {@code GradientCheck} compares them with finite differences.
 * Retained at run time: {@code Variable.custom} finds the derivatives by reflection.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Derivative {

    /** The name of the {@code @Differentiable} method of this class that this is the derivative of. */
    String of();

    /**
     * The parameter of that method this is the derivative with respect to; may be left out when
     * the method is differentiated with respect to one parameter only.
     */
    String wrt() default "";
}
