package dev.tapeless;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method whose derivative Tapeless writes at compile time.
 *
 * <p>For a method {@code f} in class {@code C}, the Tapeless annotation processor reads the
 * method's body and generates a companion class {@code CDerivatives} in the same package, with
 * three static methods:
 *
 * <ul>
 *   <li>{@code f(...)} — the forward pass only, over plain {@code INDArray}s (or {@code double}s);
 *   <li>{@code fGradient(...)} — the value and the gradient with respect to every differentiated
 *       parameter, returned as a record {@code CDerivatives.FGradient}; needs a scalar result;
 *   <li>{@code fVjp(...)} — runs the forward pass and returns an object whose {@code pullback}
 *       maps an upstream adjoint to the gradient (a vector-Jacobian product), for non-scalar
 *       results or to split forward and reverse across calls.
 * </ul>
 *
 * <p>The generated code is straight-line Java: no tape is recorded at run time. The annotated
 * method itself still runs on the runtime tape ({@code dev.tapeless.runtime.Variable}), so it
 * stays ordinary, debuggable Java and is the reference the generated derivative is tested
 * against.
 *
 * <pre>{@code
 * @Differentiable
 * static Variable loss(Variable a, Variable b) {
 *     return a.add(b).mul(b).sum();
 * }
 * // generated: LossesDerivatives.lossGradient(a, b).b()  ==  a + 2b
 * }</pre>
 *
 * <p>Parameters of type {@code Variable} and {@code double} are differentiable; parameters of
 * type {@code INDArray}, {@code int}, {@code long} and {@code boolean} are data, passed through
 * and never differentiated. A construct the processor cannot differentiate is a compile error at
 * its position, never a silently wrong companion.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {

    /**
     * Names of the parameters to differentiate with respect to. Empty (the default) means every
     * differentiable parameter ({@code Variable} and {@code double}). Naming a parameter that
     * does not exist, or one of a data type, is a compile error on this annotation.
     */
    String[] wrt() default {};
}
