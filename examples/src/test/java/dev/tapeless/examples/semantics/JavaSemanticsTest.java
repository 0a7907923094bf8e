package dev.tapeless.examples.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generated code computes what Java computes for the source ({@link JavaSemantics}), to the bit,
 * where the fine print of Java decides the value; derivatives are exact where the source is
 * linear, and checked by hand-derived formulas elsewhere.
 */
class JavaSemanticsTest {

    @AfterEach
    void restoreFields() {
        JavaSemantics.k = 2;
        JavaSemantics.Settings.scale = 3;
        JavaSemantics.weights = null;
    }

    /** Same bits (NaN compared as NaN): what "computes what Java computes" means. */
    private static void assertSameDouble(double expected, double actual, String what) {
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void intWidenedToLongIsMultipliedAsALong() {
        int k = 100_000; // k * 100000 overflows an int
        assertSameDouble(1e10 * 1.5, JavaSemantics.widenedLocal(1.5, k), "source");
        assertSameDouble(JavaSemantics.widenedLocal(1.5, k), JavaSemanticsDerivatives.widenedLocal(1.5, k), "forward");
        assertSameDouble(1e10, JavaSemanticsDerivatives.widenedLocalGradient(1.5, k).x(), "d/dx");
        assertSameDouble(JavaSemantics.widenedArgument(1.5, k), JavaSemanticsDerivatives.widenedArgument(1.5, k),
                "int argument of a long parameter");
        assertSameDouble(1e10, JavaSemanticsDerivatives.widenedArgumentGradient(1.5, k).x(), "d/dx through the call");
    }

    @Test
    void compoundAssignmentsConvertBackToTheLocalsType() {
        assertSameDouble(JavaSemantics.compoundOnLong(2), JavaSemanticsDerivatives.compoundOnLong(2), "long n += 2");
        assertSameDouble(5L * 1_000_000_007, JavaSemanticsDerivatives.compoundOnLongGradient(2).x(), "d/dx");
        for (int m : new int[] {7, -7, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertSameDouble(JavaSemantics.compoundNarrowing(0.5, m), JavaSemanticsDerivatives.compoundNarrowing(0.5, m),
                    "int n *= 1.5 at " + m);
            assertSameDouble((int) (m * 1.5), JavaSemanticsDerivatives.compoundNarrowingGradient(0.5, m).x(), "d/dx at " + m);
        }
    }

    @Test
    void integerConstantsKeepTheirExactValueAndWrapAsInJava() {
        assertSameDouble(3.0, JavaSemanticsDerivatives.longBeyondDoublePrecision(3), "2^53 + 1 - 2^53");
        assertSameDouble(1.0, JavaSemanticsDerivatives.longBeyondDoublePrecisionGradient(3).x(), "d/dx");
        assertSameDouble(JavaSemantics.negatedMinValue(2), JavaSemanticsDerivatives.negatedMinValue(2), "-MIN_VALUE");
        assertSameDouble(Integer.MIN_VALUE, JavaSemanticsDerivatives.negatedMinValueGradient(2).x(), "d/dx");
        assertSameDouble(Integer.MIN_VALUE, JavaSemanticsDerivatives.negatedMinValueVjp(2).pullback(1).x(), "pullback");
        for (int n : new int[] {3, -3, Integer.MIN_VALUE}) {
            assertSameDouble(JavaSemantics.negatedIntTimesNegatedDouble(1.25, n),
                    JavaSemanticsDerivatives.negatedIntTimesNegatedDouble(1.25, n), "(-n) * (-x) at n = " + n);
            assertSameDouble(-(double) (-n), JavaSemanticsDerivatives.negatedIntTimesNegatedDoubleGradient(1.25, n).x(),
                    "d/dx at n = " + n);
        }
        for (long big : new long[] {1L << 40 | 5, -1, Long.MIN_VALUE}) {
            assertSameDouble(JavaSemantics.castsOfData(1.5, big, 70_000), JavaSemanticsDerivatives.castsOfData(1.5, big, 70_000),
                    "casts at " + big);
        }
    }

    @Test
    void aFoldedConditionalIsPromotedToDoubleBeforeTheDivision() {
        assertSameDouble(1.5 * 4, JavaSemantics.foldedConditionalPromotes(4), "source");
        assertSameDouble(JavaSemantics.foldedConditionalPromotes(4), JavaSemanticsDerivatives.foldedConditionalPromotes(4), "forward");
        assertSameDouble(1.5, JavaSemanticsDerivatives.foldedConditionalPromotesGradient(4).x(), "d/dx");
    }

    @Test
    void forwardPassesDoNotOverflowWhereTheSourceDoesNot() {
        double[][] points = {{0.5, 1e308}, {1e308, 0.5}, {-0.75, 1.7e308}, {3, 4}};
        for (double[] p : points) {
            assertSameDouble(JavaSemantics.doubledProduct(p[0], p[1]), JavaSemanticsDerivatives.doubledProduct(p[0], p[1]), "t + t");
            assertSameDouble(JavaSemantics.doubledProduct(p[0], p[1]),
                    JavaSemanticsDerivatives.doubledProductGradient(p[0], p[1]).value(), "t + t, gradient's value");
            assertSameDouble(JavaSemantics.sumOfEqualProducts(p[0], p[1]),
                    JavaSemanticsDerivatives.sumOfEqualProducts(p[0], p[1]), "x*y + x*y");
            assertSameDouble(JavaSemantics.sumOfEqualProducts(p[0], p[1]),
                    JavaSemanticsDerivatives.sumOfEqualProductsVjp(p[0], p[1]).value(), "x*y + x*y, vjp's value");
            var g = JavaSemanticsDerivatives.sumOfEqualProductsGradient(p[0], p[1]);
            assertSameDouble(2 * p[1], g.x(), "d/dx of x*y + x*y");
            assertSameDouble(2 * p[0], g.y(), "d/dy of x*y + x*y");
        }
    }

    @Test
    void reversePassesDoNotOverflowWhereTheTextbookAdjointDoesNot() {
        // d(x*x)/dx * g = 2 x g = 2e298 at x = 1e308, g = 1e-10 (x + x overflows).
        assertSameDouble(1e-10 * 1e308 * 2, JavaSemanticsDerivatives.squareVjp(1e308).pullback(1e-10).x(), "pullback of x*x");
        assertSameDouble(1e10 * -1e-308 * 2, JavaSemanticsDerivatives.squareVjp(-1e-308).pullback(1e10).x(), "pullback of x*x, tiny");
    }

    @Test
    void aPowerOfNegativeZeroIsConstantAtZeroToo() {
        for (double x : new double[] {0.0, -0.0, 2.5}) {
            assertSameDouble(1.0, JavaSemanticsDerivatives.powerOfNegativeZeroGradient(x).x(), "d/dx x^-0.0 x at " + x);
        }
    }

    @Test
    void atan2sAdjointIsFiniteAtEveryScale() {
        // d/du atan2(u, v) = v / (u² + v²), d/dv = -u / (u² + v²).
        double[][] points = {{1e-200, 1e-200}, {1e200, 1e200}, {-3e-300, 4e-300}, {3e300, -4e300}, {0.3, -0.4}};
        for (double[] p : points) {
            double u = p[0];
            double v = p[1];
            double r = Math.hypot(u, v);
            var g = JavaSemanticsDerivatives.angleGradient(u, v);
            assertSameDouble(Math.atan2(u, v), g.value(), "value at " + u + ", " + v);
            assertClose(v / r / r, g.u(), "d/du at " + u + ", " + v);
            assertClose(-u / r / r, g.v(), "d/dv at " + u + ", " + v);
        }
    }

    @Test
    void aVjpKeepsTheFieldsItsForwardPassRead() {
        var vjp = JavaSemanticsDerivatives.fieldScaledVjp(3);
        JavaSemantics.k = 5;
        JavaSemantics.Settings.scale = 100;
        assertSameDouble(2 * 2 * 3 + 3, vjp.pullback(1).x(), "pullback after the fields changed");
        assertSameDouble(2 * 5 * 3 + 100, JavaSemanticsDerivatives.fieldScaledGradient(3).x(), "a new gradient reads the new fields");

        JavaSemantics.weights = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray x = Nd4j.createFromArray(0.5, 0.25, 4.0);
        var tensorVjp = JavaSemanticsDerivatives.fieldWeightedVjp(x);
        JavaSemantics.weights = Nd4j.createFromArray(-7.0, -7.0, -7.0);
        INDArray dx = tensorVjp.pullback(Nd4j.scalar(DataType.DOUBLE, 2.0)).x();
        assertEquals(java.util.List.of(2.0, 4.0, 6.0), java.util.Arrays.stream(dx.toDoubleVector()).boxed().toList(),
                "pullback after the INDArray field was replaced");
    }

    @Test
    void aStaticFieldsArrayIsNeverReturnedItself() {
        JavaSemantics.weights = Nd4j.createFromArray(1.0, 2.0, 3.0);
        INDArray x = Nd4j.createFromArray(0.5, 0.25, 4.0);
        INDArray[] results = {
            JavaSemanticsDerivatives.fieldReturned(x),
            JavaSemanticsDerivatives.fieldReturnedVjp(x).value(),
            JavaSemanticsDerivatives.fieldReturnedVjp(x).pullback(Nd4j.ones(DataType.DOUBLE, 3)).value(),
        };
        for (INDArray r : results) {
            assertEquals(java.util.List.of(1.0, 2.0, 3.0), java.util.Arrays.stream(r.toDoubleVector()).boxed().toList());
            r.addi(10); // the caller owns what it is given
            assertEquals(java.util.List.of(1.0, 2.0, 3.0),
                    java.util.Arrays.stream(JavaSemantics.weights.toDoubleVector()).boxed().toList(), "the field is untouched");
        }
    }

    @Test
    void anUnusedIntegerDivisionByZeroThrowsAsInJava() {
        org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class, () -> JavaSemantics.unusedDivision(1.5, 0));
        org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class, () -> JavaSemanticsDerivatives.unusedDivision(1.5, 0));
        org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class,
                () -> JavaSemanticsDerivatives.unusedDivisionGradient(1.5, 0));
        org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class, () -> JavaSemanticsDerivatives.unusedDivisionVjp(1.5, 0));
        assertSameDouble(1.0, JavaSemanticsDerivatives.unusedDivisionGradient(1.5, 3).x(), "d/dx for n = 3");
    }

    @Test
    void anIntegerDivisionInTheOperandOfAConditionalNotTakenDoesNotThrow() {
        for (int n : new int[] {0, 1, 2, -3}) {
            for (double x : new double[] {1.5, -0.25}) {
                assertSameDouble(JavaSemantics.divisionTheAdjointNeeds(x, n), JavaSemanticsDerivatives.divisionTheAdjointNeeds(x, n), "forward");
                var g = JavaSemanticsDerivatives.divisionTheAdjointNeedsGradient(x, n);
                assertSameDouble(n > 0 ? 10 / n : 1, g.x(), "d/dx at n = " + n);
                assertSameDouble(g.x() * 3, JavaSemanticsDerivatives.divisionTheAdjointNeedsVjp(x, n).pullback(3).x(), "pullback");
                assertSameDouble(JavaSemantics.divisionInAnOperandNotTaken(x, n),
                        JavaSemanticsDerivatives.divisionInAnOperandNotTaken(x, n), "nested conditionals, forward");
                double slope = (n > 0 ? (10 / n) * (10 / n) : 0) + (n >= 0 ? (n > 1 ? 21 / n : 0) : 7 / n);
                assertSameDouble(slope, JavaSemanticsDerivatives.divisionInAnOperandNotTakenGradient(x, n).x(), "nested, d/dx");
            }
        }
    }

    @Test
    void aLongOperandOfAnArrayOpIsRoundedAsTheSourceRoundsIt() {
        long n = (1L << 60) + (1L << 36) + 1; // (float) n and (float) (double) n differ
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray x = Nd4j.createFromArray(1.0, 2.0).castTo(type);
            dev.tapeless.runtime.Tape.reset();
            INDArray onTape = JavaSemantics.arrayScaledByLong(dev.tapeless.runtime.Variable.constant(x), n).value();
            INDArray generated = JavaSemanticsDerivatives.arrayScaledByLong(x, n);
            assertSameDouble(onTape.getDouble(0), generated.getDouble(0), type + " value");
            INDArray dx = JavaSemanticsDerivatives.arrayScaledByLongGradient(x, n).x();
            assertSameDouble((float) (double) n, type == DataType.FLOAT ? (float) dx.getDouble(0) : (float) dx.getDouble(0), type + " d/dx");
        }
    }

    @Test
    void staticImportsResolveAsJavacResolvesThem() {
        for (double[] p : new double[][] {{2, 3}, {-1.5, 0.25}}) {
            double x = p[0];
            double y = p[1];
            assertSameDouble(SingleImportShadows.f(x, y), SingleImportShadowsDerivatives.f(x, y), "single-static imports shadow");
            var g = SingleImportShadowsDerivatives.fGradient(x, y);
            assertSameDouble(y + Math.cos(x), g.x(), "d/dx of x y + 1 + sin x");
            assertSameDouble(x, g.y(), "d/dy");
            for (int n : new int[] {3, -2}) {
                assertSameDouble(OnDemandOverloads.f(x, y, n), OnDemandOverloadsDerivatives.f(x, y, n), "on-demand overloads");
            }
        }
    }

    @Test
    void expandWithNoSizesKeepsARankZeroValueAsOnTheTape() {
        INDArray y = Nd4j.createFromArray(0.5, -2.0, 4.0);
        var g = JavaSemanticsDerivatives.expandedToRankZeroGradient(y);
        assertSameDouble(2.5 * 2.5, g.value().getDouble(0), "value");
        assertEquals(0, g.value().rank(), "rank 0");
        assertEquals(java.util.List.of(5.0, 5.0, 5.0), java.util.Arrays.stream(g.y().toDoubleVector()).boxed().toList(), "d/dy = 2 sum");
    }

    @Test
    void callsResolveToTheOverloadJavacChooses() {
        for (double x : new double[] {1.5, -2.25, 1e154}) {
            assertSameDouble(JavaSemantics.callsTheDoubleOverload(x), JavaSemanticsDerivatives.callsTheDoubleOverload(x), "h(x) + 1");
            assertSameDouble(2 * x, JavaSemanticsDerivatives.callsTheDoubleOverloadGradient(x).x(), "d/dx");
        }
    }

    @Test
    void staticallyImportedMathAndInheritedConstantsAreRead() {
        for (double[] p : new double[][] {{0.5, 1.5}, {-2, 0.25}, {1e10, -1e-10}}) {
            assertSameDouble(JavaSemantics.staticallyImportedMath(p[0], p[1]),
                    JavaSemanticsDerivatives.staticallyImportedMath(p[0], p[1]), "sin(x) cos(y) + ...");
            var g = JavaSemanticsDerivatives.staticallyImportedMathGradient(p[0], p[1]);
            assertClose(Math.cos(p[0]) * Math.cos(p[1]) + Math.signum(p[0]) / (2 * Math.sqrt(Math.abs(p[0]))), g.x(), "d/dx");
            assertClose(-Math.sin(p[0]) * Math.sin(p[1]), g.y(), "d/dy");
        }
        assertSameDouble(JavaSemantics.inheritedConstant(2), JavaSemanticsDerivatives.inheritedConstant(2), "G t² / 2 + G");
        assertSameDouble(9.81 * 2, JavaSemanticsDerivatives.inheritedConstantGradient(2).t(), "d/dt");
    }

    private static void assertClose(double expected, double actual, String what) {
        double scale = Math.max(Double.MIN_NORMAL, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= 1e-14 * scale, what + ": expected " + expected + ", got " + actual);
    }
}
