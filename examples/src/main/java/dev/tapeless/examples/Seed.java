package dev.tapeless.examples;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;

/**
 * The seed experiment: a tape autograd captured into one straight-line graph. {@code simple(a, b)
 * = (a + b) * b}; the loss is its sum. Tapeless captures it at compile time: see the generated
 * {@code SeedDerivatives}.
 */
public final class Seed {
    private Seed() {}

    @Differentiable
    public static Variable simple(Variable a, Variable b) {
        Variable t = a.add(b);
        return t.mul(b);
    }

    /** The seed's loss. */
    @Differentiable
    public static Variable loss(Variable a, Variable b) {
        return simple(a, b).sum();
    }

    /** The same loss with a {@code Tape.reset()} inside, as the seed's second case has it. */
    @Differentiable
    public static Variable lossWithReset(Variable a, Variable b) {
        Tape.reset();
        return simple(a, b).sum();
    }
}
