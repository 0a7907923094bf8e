package dev.tapeless.examples.ops;

import static dev.tapeless.examples.Exact.assertExact;
import static dev.tapeless.examples.ops.Inputs.shape;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.FiniteDifferences;
import dev.tapeless.runtime.check.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.EnumSource.Mode;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ops far from 1: softmax and log-softmax at logits of 1e3 and 1e4 (where an unshifted
 * exponential overflows or a log of an underflowed softmax is -∞), and the ops whose results scale
 * with their inputs at 2^±500 (about 1e±150) in DOUBLE and 2^±40 in FLOAT, where a reverse pass
 * that squares and divides back, or sums before scaling, overflows or underflows.
 */
class LargeMagnitudeTest {

    // ---- softmax and log-softmax at large logits ------------------------------------------------

    /** Each softmax op with the shapes its dim applies to. */
    static Stream<Arguments> softmaxCases() {
        List<Arguments> out = new ArrayList<>();
        List<Object[]> ops = List.of(
                new Object[] {"softmax0", List.of(shape(4), shape(3, 4), shape(2, 3, 4))},
                new Object[] {"softmax1", List.of(shape(3, 4), shape(2, 3, 4))},
                new Object[] {"softmaxLast", List.of(shape(4), shape(3, 4), shape(2, 3, 4))},
                new Object[] {"logSoftmax0", List.of(shape(4), shape(3, 4), shape(2, 3, 4))},
                new Object[] {"logSoftmax1", List.of(shape(3, 4), shape(2, 3, 4))},
                new Object[] {"logSoftmaxLast", List.of(shape(4), shape(3, 4), shape(2, 3, 4))});
        for (Object[] op : ops) {
            @SuppressWarnings("unchecked")
            List<long[]> shapes = (List<long[]>) op[1];
            for (long[] s : shapes) {
                for (double scale : new double[] {1e3, 1e4}) {
                    for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
                        out.add(Arguments.of(op[0], Inputs.str(s), scale, type, s));
                    }
                }
            }
        }
        return out.stream();
    }

    /**
     * Generated forward pass, gradient and pullback against the tape (which shifts by the maximum),
     * all finite; in DOUBLE also against central finite differences (a step of 1e-3: at these
     * logits the softmax is saturated and the loss nearly linear, and a smaller step would
     * lose the difference to rounding of a loss of order 1e4).
     */
    @ParameterizedTest(name = "{0}({1}) logits ±{2} {3}")
    @MethodSource("softmaxCases")
    void softmaxAndLogSoftmaxAtLargeLogitsMatchTheTape(String name, String label, double scale, DataType type, long[] s) {
        OpUnderTest op = OpCatalogue.op(name);
        Random rng = new Random(name.hashCode() * 31L + label.hashCode() + (long) scale);
        INDArray x = logits(rng, type, s, scale);
        INDArray w = Inputs.array(rng, type, s, Inputs.Domain.NONZERO);
        double tol = Verify.Tolerance.of(type).vsTape();
        String at = name + "(" + label + ") ±" + scale + " " + type;

        INDArray reference = Verify.onTape(op, List.of(x));
        INDArray forward = op.forward().apply(List.of(x));
        assertFiniteAndClose(reference, forward, tol, at + " forward");

        Tape.reset();
        Variable v = Variable.constant(x);
        INDArray tapeGradient = Tape.grad(op.weightedOnTape().apply(List.of(v), w), v).get(0).value();
        Tape.reset();
        List<INDArray> gradient = op.weightedGradient().apply(List.of(x), w);
        assertFiniteAndClose(tapeGradient, gradient.get(1), tol, at + " gradient");
        List<INDArray> pulled = op.pullback(List.of(x), w);
        assertFiniteAndClose(reference, pulled.get(0), tol, at + " vjp value");
        assertFiniteAndClose(gradient.get(1), pulled.get(1), tol, at + " pullback");

        if (type == DataType.DOUBLE) {
            GradientCheck.Report r = GradientCheck.of(vs -> op.weightedOnTape().apply(vs, w),
                    xs -> op.weightedGradient().apply(xs, w), List.of("x"), List.of(x), 1e-3);
            assertTrue(r.rows().get(0).vsTape() <= 1e-9 && r.rows().get(0).vsFiniteDifferences() <= 1e-6
                    && r.valueDifference() <= 1e-9, () -> at + "\n" + r);
        }
        Verify.assertOpsWithin(at + " forward", op.ownCounts().forward(), () -> op.forward().apply(List.of(x)));
    }

    /** The reported case: ND4J's own log-softmax gives [-∞, 0]. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"}, mode = Mode.INCLUDE)
    void logSoftmaxOfZeroAndEightHundredIsMinusEightHundredAndZero(DataType type) {
        INDArray x = Nd4j.createFromArray(new double[][] {{0, 800}}).castTo(type);
        assertExact(Nd4j.createFromArray(new double[][] {{-800, 0}}).castTo(type), OpsDerivatives.logSoftmaxLast(x));
        assertExact(Nd4j.createFromArray(new double[][] {{-800, 0}}).castTo(type), OpsDerivatives.logSoftmax1(x));
        assertExact(Nd4j.createFromArray(new double[][] {{0, 1}}).castTo(type), OpsDerivatives.softmaxLast(x));
        var g = OpsDerivatives.logSoftmaxLastVjp(x).pullback(Nd4j.createFromArray(new double[][] {{1, 0}}).castTo(type));
        assertExact(Nd4j.createFromArray(new double[][] {{1, -1}}).castTo(type), g.x());
    }

    /** Uniform in [-scale, scale], with the first element +scale and the last -scale. */
    private static INDArray logits(Random rng, DataType type, long[] s, double scale) {
        INDArray x = Inputs.array(rng, DataType.DOUBLE, s, Inputs.Domain.ANY).mul(scale / 1.5);
        x.putScalar(0, scale);
        x.putScalar(x.length() - 1, -scale);
        return x.castTo(type);
    }

    // ---- homogeneous ops at 2^±500 --------------------------------------------------------------

    /**
     * Ops {@code f} with {@code f(s·x) = s^p f(x)}, by degree {@code p} (all operands scaled), and
     * the domain of their inputs. Their weighted sums have gradients of degree {@code p - 1}.
     */
    static final List<Object[]> HOMOGENEOUS = List.of(
            new Object[] {"add", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}, {4}}},
            new Object[] {"sub", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 1}, {1, 4}}},
            new Object[] {"mul", 2.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}, {3, 1}}},
            new Object[] {"div", 0.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}, {4}}},
            new Object[] {"rsub", 1.0, Inputs.Domain.NONZERO, new long[][] {{2, 3}, {2, 3}}},
            new Object[] {"rdiv", 0.0, Inputs.Domain.NONZERO, new long[][] {{3, 1}, {4}}},
            new Object[] {"mmul", 2.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}, {4, 2}}},
            new Object[] {"neg", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"abs", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"relu", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"sqrt", 0.5, Inputs.Domain.POSITIVE, new long[][] {{3, 4}}},
            new Object[] {"mulC", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"divC", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"rdivC", -1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"sumAll", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"sum0", 1.0, Inputs.Domain.NONZERO, new long[][] {{2, 3, 4}}},
            new Object[] {"sum1Keep", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"meanAll", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"mean0Last", 1.0, Inputs.Domain.NONZERO, new long[][] {{2, 3, 4}}},
            new Object[] {"meanLastKeep", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"transpose", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"reshape26", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 4}}},
            new Object[] {"expand34", 1.0, Inputs.Domain.NONZERO, new long[][] {{3, 1}}});

    static Stream<Arguments> homogeneousCases() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] op : HOMOGENEOUS) {
            for (int k : new int[] {500, -500}) out.add(Arguments.of(op[0], k, DataType.DOUBLE, op[1], op[2], op[3]));
            for (int k : new int[] {40, -40}) out.add(Arguments.of(op[0], k, DataType.FLOAT, op[1], op[2], op[3]));
        }
        return out.stream();
    }

    /**
     * Scaling by a power of two commutes with every correctly rounded operation short of overflow
     * and underflow, so at {@code s = 2^k} the generated value, gradient and pullback are exactly
     * {@code s^p}, {@code s^(p-1)} times those at scale 1, bit for bit; and those match the tape.
     */
    @ParameterizedTest(name = "{0} at 2^{1} {2}")
    @MethodSource("homogeneousCases")
    void homogeneousOpsScaleExactlyByPowersOfTwo(String name, int k, DataType type, double degree, Inputs.Domain domain,
            long[][] shapes) {
        OpUnderTest op = OpCatalogue.op(name);
        Random rng = new Random(name.hashCode() + 7L * k);
        List<INDArray> x = new ArrayList<>();
        for (long[] s : shapes) x.add(Inputs.array(rng, type, s, domain));
        INDArray w = Inputs.array(rng, type, Verify.onTape(op, x).shape(), Inputs.Domain.NONZERO);
        double s = Math.scalb(1.0, k);
        List<INDArray> scaled = x.stream().map(a -> a.mul(s)).toList();
        String at = name + " at 2^" + k + " " + type;

        GradientCheck.Report atOne = GradientCheck.of(vs -> op.weightedOnTape().apply(vs, w),
                xs -> op.weightedGradient().apply(xs, w), op.parameters(), x, Verify.Tolerance.of(type).eps());
        double tol = Verify.Tolerance.of(type).vsTape();
        for (GradientCheck.Row row : atOne.rows()) assertTrue(row.vsTape() <= tol, () -> at + "\n" + atOne);

        List<INDArray> g = op.weightedGradient().apply(x, w);
        List<INDArray> gs = op.weightedGradient().apply(scaled, w);
        double valueScale = Math.scalb(1.0, (int) Math.round(k * degree));
        double gradientScale = Math.scalb(1.0, (int) Math.round(k * (degree - 1)));
        assertExact(g.get(0).mul(valueScale), gs.get(0), at + ": value");
        for (int i = 1; i < g.size(); i++) {
            assertExact(g.get(i).mul(gradientScale), gs.get(i), at + ": d" + op.parameters().get(i - 1));
        }
        List<INDArray> pulled = op.pullback(scaled, w);
        assertExact(op.forward().apply(x).mul(valueScale), op.forward().apply(scaled), at + ": forward");
        for (int i = 1; i < g.size(); i++) assertExact(gs.get(i), pulled.get(i), at + ": pullback");
    }

    private static void assertFiniteAndClose(INDArray expected, INDArray actual, double tol, String at) {
        double[] a = actual.dup('c').data().asDouble();
        for (int i = 0; i < actual.length(); i++) {
            int j = i;
            assertTrue(Double.isFinite(a[i]), () -> at + ": element " + j + " is " + a[j] + "\n" + actual);
        }
        double d = FiniteDifferences.maxRelDiff(actual, expected);
        assertTrue(d <= tol, () -> at + ": differs by " + d + " from the tape\nexpected " + expected + "\nactual   " + actual);
    }
}
