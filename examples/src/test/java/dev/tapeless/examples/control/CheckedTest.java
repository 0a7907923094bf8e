package dev.tapeless.examples.control;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Checked} can fail: hand-written "companions" with one defect each (a forward pass off by
 * an ulp, a wrong partial, a pullback that ignores its upstream or changes between calls) are caught.
 */
class CheckedTest {

    /** f(x, y) = x² y, with a correct companion (below) and one defect per variant. */
    static final class Square {
        static double f(double x, double y) {
            return x * x * y;
        }
    }

    /** Plays the generated companion of {@link Square}. */
    static final class SquareDerivatives {
        static int mode;

        static double f(double x, double y) {
            double v = x * x * y;
            return mode == 1 ? Math.nextUp(v) : v;
        }

        record FGradient(double value, double x, double y) {}

        static FGradient fGradient(double x, double y) {
            return new FGradient(x * x * y, mode == 2 ? 2 * x * y * (1 + 1e-5) : 2 * x * y, x * x);
        }

        static FVjp fVjp(double x, double y) {
            return new FVjp(x, y);
        }

        static final class FVjp {
            private final double x;
            private final double y;
            private int calls;

            FVjp(double x, double y) {
                this.x = x;
                this.y = y;
            }

            double value() {
                return x * x * y;
            }

            FGradient pullback(double upstream) {
                double u = mode == 3 ? 1 : upstream;
                if (mode == 4 && calls++ > 2) u *= 1 + 1e-12;
                return new FGradient(x * x * y, u * 2 * x * y, u * x * x);
            }
        }
    }

    @Test
    void aCorrectCompanionPassesAndEachDefectIsCaught() {
        Checked c = Checked.of(Square.class, "f");
        try {
            SquareDerivatives.mode = 0;
            c.at(1.5, -0.5);
            c.at(1e100, 1e-100);
            for (int mode = 1; mode <= 4; mode++) {
                SquareDerivatives.mode = mode;
                AssertionError e = assertThrows(AssertionError.class, () -> c.at(1.5, -0.5), "defect " + mode);
                assertTrue(e.getMessage().contains("f[1.5, -0.5]"), e.getMessage());
            }
        } finally {
            SquareDerivatives.mode = 0;
        }
    }
}
