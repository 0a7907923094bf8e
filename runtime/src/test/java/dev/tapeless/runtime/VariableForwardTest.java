package dev.tapeless.runtime;

import static dev.tapeless.runtime.TestSupport.array;
import static dev.tapeless.runtime.TestSupport.assertExact;
import static dev.tapeless.runtime.TestSupport.flat;
import static dev.tapeless.runtime.TestSupport.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.TestSupport.Domain;
import dev.tapeless.runtime.check.FiniteDifferences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward values and shapes (checked against plain Java loops, not against ND4J), derivatives at
 * kinks, data types, and that nothing is written into inputs.
 */
class VariableForwardTest {

    private static final INDArray M34 = array(shape(3, 4), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

    /** start, start + 1, ... in row-major order. */
    private static INDArray iota(double start, long... shape) {
        double[] values = new double[(int) TestSupport.length(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = start + i;
        }
        return array(shape, values);
    }

    @BeforeEach
    void reset() {
        Tape.reset();
    }

    /** NumPy broadcasting by hand: each output element reads its operands' aligned elements. */
    private static double[] broadcastByHand(long[] out, long[] as, double[] a, long[] bs, double[] b,
            DoubleBinaryOperator f) {
        int n = (int) TestSupport.length(out);
        double[] result = new double[n];
        for (int flat = 0; flat < n; flat++) {
            long[] index = new long[out.length];
            long rest = flat;
            for (int d = out.length - 1; d >= 0; d--) {
                index[d] = rest % out[d];
                rest /= out[d];
            }
            result[flat] = f.applyAsDouble(a[operandOffset(index, as)], b[operandOffset(index, bs)]);
        }
        return result;
    }

    private static int operandOffset(long[] outIndex, long[] shape) {
        int offset = 0;
        int lead = outIndex.length - shape.length;
        for (int d = 0; d < shape.length; d++) {
            long i = shape[d] == 1 ? 0 : outIndex[lead + d];
            offset = (int) (offset * shape[d] + i);
        }
        return offset;
    }

    @Test
    void binaryOpsBroadcastLikeNumPy() {
        long[][][] pairs = {
            {shape(3, 4), shape(4)}, {shape(4), shape(3, 4)}, {shape(3, 4), shape(3, 1)},
            {shape(3, 1), shape(1, 4)}, {shape(), shape(2, 3)}, {shape(2, 3), shape()},
            {shape(2, 3, 4), shape(3, 1)}, {shape(3, 1), shape(2, 3, 4)}, {shape(1, 3, 1), shape(2, 1, 4)},
            {shape(4, 1, 1), shape(3, 2)}, {shape(1), shape(2, 3)}, {shape(5), shape(5)},
        };
        List<String> names = List.of("add", "sub", "mul", "div", "rsub", "rdiv");
        List<BiFunction<Variable, Variable, Variable>> ops = List.of(Variable::add, Variable::sub,
                Variable::mul, Variable::div, Variable::rsub, Variable::rdiv);
        List<DoubleBinaryOperator> byHand = List.of((x, y) -> x + y, (x, y) -> x - y, (x, y) -> x * y,
                (x, y) -> x / y, (x, y) -> y - x, (x, y) -> y / x);
        Random random = new Random(11);
        for (long[][] pair : pairs) {
            INDArray a = TestSupport.random(random, Domain.POSITIVE, pair[0]);
            INDArray b = TestSupport.random(random, Domain.POSITIVE, pair[1]);
            long[] out = Shapes.broadcast("test", pair[0], pair[1]);
            for (int k = 0; k < ops.size(); k++) {
                Variable y = ops.get(k).apply(Variable.constant(a), Variable.constant(b));
                String what = names.get(k) + " " + Arrays.toString(pair[0]) + " " + Arrays.toString(pair[1]);
                assertArrayEquals(out, y.shape(), what);
                assertArrayEquals(broadcastByHand(out, pair[0], flat(a), pair[1], flat(b), byHand.get(k)),
                        flat(y.value()), 1e-15, what);
            }
        }
    }

    @Test
    void operationsWithADouble() {
        INDArray x = array(shape(3), 1, 2, 4);
        Variable v = Variable.constant(x);
        assertArrayEquals(new double[] {3.5, 4.5, 6.5}, flat(v.add(2.5).value()));
        assertArrayEquals(new double[] {-1.5, -0.5, 1.5}, flat(v.sub(2.5).value()));
        assertArrayEquals(new double[] {2.5, 5, 10}, flat(v.mul(2.5).value()));
        assertArrayEquals(new double[] {0.5, 1, 2}, flat(v.div(2).value()));
        assertArrayEquals(new double[] {1.5, 0.5, -1.5}, flat(v.rsub(2.5).value()));
        assertArrayEquals(new double[] {4, 2, 1}, flat(v.rdiv(4).value()));
        assertArrayEquals(new double[] {-1, -2, -4}, flat(v.neg().value()));
        assertArrayEquals(new double[] {1, 8, 64}, flat(v.pow(3).value()), 1e-12);
        assertArrayEquals(new double[] {1, Math.sqrt(2), 2}, flat(v.sqrt().value()), 1e-13);
    }

    @Test
    void unaryOpsMatchJavaMath() {
        double[] xs = {-1.5, -0.25, 0.0, 0.3, 2.0};
        Variable v = Variable.constant(array(shape(5), xs));
        List<Function<Variable, Variable>> ops = List.of(Variable::exp, Variable::sin, Variable::cos,
                Variable::tanh, Variable::sigmoid, Variable::relu, Variable::abs);
        List<java.util.function.DoubleUnaryOperator> byHand = List.of(Math::exp, Math::sin, Math::cos,
                Math::tanh, x -> 1 / (1 + Math.exp(-x)), x -> Math.max(x, 0), Math::abs);
        for (int k = 0; k < ops.size(); k++) {
            double[] actual = flat(ops.get(k).apply(v).value());
            for (int i = 0; i < xs.length; i++) {
                assertEquals(byHand.get(k).applyAsDouble(xs[i]), actual[i], 1e-13, "op " + k + " at " + xs[i]);
            }
        }
        assertArrayEquals(new double[] {Math.log(0.5), 0, Math.log(3)},
                flat(Variable.constant(array(shape(3), 0.5, 1, 3)).log().value()), 1e-13);
    }

    @Test
    void reductionsGiveNumPyShapesAndValues() {
        Variable m = Variable.constant(M34);
        assertExact(array(shape(4), 15, 18, 21, 24), m.sum(0).value());
        assertExact(array(shape(3), 10, 26, 42), m.sum(1).value());
        assertExact(array(shape(3), 10, 26, 42), m.sum(-1).value());
        assertExact(array(shape(3, 1), 10, 26, 42), m.sum(true, 1).value());
        assertExact(array(shape(1, 4), 15, 18, 21, 24), m.sum(true, -2).value());
        assertExact(array(shape(), 78), m.sum().value());
        assertExact(array(shape(), 78), m.sum(1, 0).value());
        assertExact(array(shape(1, 1), 78), m.sum(true).value());
        assertExact(array(shape(4), 5, 6, 7, 8), m.mean(0).value());
        assertExact(array(shape(3, 1), 2.5, 6.5, 10.5), m.mean(true, 1).value());
        assertExact(array(shape(), 6.5), m.mean().value());

        Variable s = Variable.constant(Nd4j.scalar(3.0));
        assertExact(array(shape(), 3), s.sum().value());
        assertExact(array(shape(), 3), s.mean(true).value());
        Variable v = Variable.constant(array(shape(4), 1, 2, 3, 4));
        assertExact(array(shape(), 10), v.sum(0).value());
        assertExact(array(shape(1), 2.5), v.mean(true, -1).value());

        Variable t = Variable.constant(iota(1, 2, 3, 4));
        assertExact(array(shape(3), 68, 100, 132), t.sum(0, 2).value());
        assertExact(array(shape(1, 3, 1), 68, 100, 132), t.sum(true, 2, -3).value());
        assertExact(array(shape(2, 4), 15, 18, 21, 24, 51, 54, 57, 60), t.sum(1).value());
    }

    @Test
    void mmulFollowsNumPyMatmulForRanksOneAndTwo() {
        Variable a = Variable.constant(array(shape(2, 3), 1, 2, 3, 4, 5, 6));
        Variable b = Variable.constant(array(shape(3, 2), 1, 0, 0, 1, 2, -1));
        Variable u = Variable.constant(array(shape(3), 1, -1, 2));
        Variable w = Variable.constant(array(shape(2), 3, 4));
        assertExact(array(shape(2, 2), 7, -1, 16, -1), a.mmul(b).value());
        assertExact(array(shape(2), 5, 11), a.mmul(u).value());
        assertExact(array(shape(3), 19, 26, 33), w.mmul(a).value());
        assertExact(array(shape(), 6), u.mmul(u).value());
        assertExact(array(shape(1, 1), 6), u.reshape(1, 3).mmul(u.reshape(3, 1)).value());
    }

    @Test
    void shapeOps() {
        Variable m = Variable.constant(M34);
        assertExact(array(shape(4, 3), 1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12), m.transpose().value());
        assertExact(array(shape(6, 2), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), m.reshape(-1, 2).value());
        assertExact(array(shape(12), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), m.reshape(-1).value());
        assertExact(array(shape(2, 6), 1, 5, 9, 2, 6, 10, 3, 7, 11, 4, 8, 12), m.transpose().reshape(2, 6).value());
        assertExact(array(shape(), 7), Variable.constant(array(shape(1, 1), 7)).reshape().value());

        Variable t = Variable.constant(iota(0, 2, 3, 4));
        Variable tt = t.transpose();
        assertArrayEquals(shape(4, 3, 2), tt.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(i * 12 + j * 4 + k, tt.value().getDouble(k, j, i));
                }
            }
        }

        assertExact(Nd4j.valueArrayOf(shape(2, 3), 2.5, DataType.DOUBLE),
                Variable.constant(Nd4j.scalar(2.5)).expand(2, 3).value());
        assertExact(array(shape(2, 3), 1, 2, 3, 1, 2, 3), Variable.constant(array(shape(3), 1, 2, 3)).expand(2, 3).value());
        assertExact(array(shape(2, 2, 3), 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2),
                Variable.constant(array(shape(2, 1), 1, 2)).expand(2, 2, 3).value());
        assertExact(array(shape(2, 2, 2), 1, 2, 1, 2, 1, 2, 1, 2),
                Variable.constant(array(shape(1, 2), 1, 2)).expand(2, 2, 2).value());
    }

    @Test
    void softmaxAndLogSoftmaxAlongEachDim() {
        Variable m = Variable.constant(array(shape(2, 3), 1, 2, 3, -1, 0, 4));
        double[] row0 = {1, 2, 3};
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        double[] softRow0 = flat(m.softmax(1).value());
        for (int j = 0; j < 3; j++) {
            assertEquals(Math.exp(row0[j]) / z, softRow0[j], 1e-14);
        }
        assertEquals(Math.exp(1) / (Math.exp(1) + Math.exp(-1)), m.softmax(0).value().getDouble(0, 0), 1e-13);

        for (int dim : new int[] {0, 1, -1, -2}) {
            INDArray soft = m.softmax(dim).value();
            INDArray logSoft = m.logSoftmax(dim).value();
            assertTrue(FiniteDifferences.maxAbsDiff(soft.sum(dim), Nd4j.ones(DataType.DOUBLE, soft.sum(dim).shape())) < 1e-13);
            assertTrue(FiniteDifferences.maxAbsDiff(logSoft, Transforms.log(soft, true)) < 1e-14, "dim " + dim);
        }
        // dim is honoured (ND4J's own logSoftmax(x, dim) ignores it).
        assertTrue(FiniteDifferences.maxAbsDiff(m.logSoftmax(0).value(), m.logSoftmax(1).value()) > 0.1);
        assertExact(m.logSoftmax(1).value(), m.logSoftmax(-1).value());
        assertExact(m.logSoftmax(0).value(), m.logSoftmax(-2).value());
        assertEquals(Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(-1))), m.logSoftmax(0).value().getDouble(0, 0), 1e-13);
        assertEquals(Math.log(Math.exp(1) / z), m.logSoftmax(1).value().getDouble(0, 0), 1e-13);

        // Stable for large inputs.
        Variable big = Variable.constant(array(shape(3), 1000, 1001, 1002));
        double[] logs = flat(big.logSoftmax(0).value());
        double[] softs = flat(big.softmax(0).value());
        double lse = 1002 + Math.log(Math.exp(-2) + Math.exp(-1) + 1);
        for (int i = 0; i < 3; i++) {
            assertEquals(1000 + i - lse, logs[i], 1e-12);
            assertEquals(Math.exp(1000 + i - lse), softs[i], 1e-13);
        }
        List<Variable> g = Tape.grad(big.logSoftmax(0).mul(Variable.constant(array(shape(3), 1, 0, 0))).sum(), big);
        assertTrue(Arrays.stream(flat(g.get(0).value())).allMatch(Double::isFinite));
    }

    @Test
    void derivativesAtKinksAndDomainEdges() {
        Variable x = Variable.constant(array(shape(3), -1, 0, 2));
        assertExact(array(shape(3), 0, 0, 1), Tape.grad(x.relu().sum(), x).get(0).value());
        assertExact(array(shape(3), -1, 0, 1), Tape.grad(x.abs().sum(), x).get(0).value());
        assertExact(array(shape(3), 0, 0, 0), Tape.grad(x.pow(0).sum(), x).get(0).value());
        assertExact(array(shape(3), 1, 1, 1), Tape.grad(x.pow(1).sum(), x).get(0).value());
        assertExact(array(shape(3), -2, 0, 4), Tape.grad(x.pow(2).sum(), x).get(0).value());

        Variable nonNegative = Variable.constant(array(shape(2), 0, 4));
        double[] sqrtGrad = flat(Tape.grad(nonNegative.sqrt().sum(), nonNegative).get(0).value());
        assertEquals(Double.POSITIVE_INFINITY, sqrtGrad[0]);
        assertEquals(0.25, sqrtGrad[1]);

        Variable negative = Variable.constant(array(shape(1), -1));
        assertTrue(Double.isNaN(negative.log().value().getDouble(0L)));
        assertTrue(Double.isNaN(negative.sqrt().value().getDouble(0L)));
        assertTrue(Double.isNaN(negative.pow(0.5).value().getDouble(0L)));
        assertEquals(-8.0, Variable.constant(array(shape(1), -2)).pow(3).value().getDouble(0L));
    }

    @Test
    void floatStaysFloatEverywhere() {
        INDArray xf = Nd4j.create(new float[] {0.5f, 1.5f, 2f, 0.25f, 1f, 3f}, new long[] {2, 3});
        INDArray yf = Nd4j.create(new float[] {1.25f, 0.75f, 2f}, new long[] {3});
        Variable x = Variable.constant(xf);
        Variable y = Variable.constant(yf);
        assertEquals(DataType.FLOAT, x.dataType());
        List<Variable> results = List.of(x.add(y), x.sub(y), x.mul(y), x.div(y), x.rsub(y), x.rdiv(y),
                x.add(0.1), x.sub(0.1), x.mul(0.1), x.div(0.1), x.rsub(0.1), x.rdiv(0.1), x.neg(), x.exp(),
                x.log(), x.sqrt(), x.pow(1.5), x.abs(), x.sin(), x.cos(), x.tanh(), x.sigmoid(), x.relu(),
                x.sum(), x.sum(true, 1), x.mean(0), x.mmul(y), x.transpose(), x.reshape(3, 2),
                x.expand(4, 2, 3), x.softmax(0), x.logSoftmax(1));
        Variable loss = Variable.constant(Nd4j.scalar(0f));
        for (Variable r : results) {
            assertEquals(DataType.FLOAT, r.dataType(), r.toString());
            loss = loss.add(r.sum());
        }
        assertEquals(DataType.FLOAT, loss.dataType());
        List<Variable> g = Tape.grad(loss, x, y);
        assertEquals(DataType.FLOAT, g.get(0).dataType());
        assertEquals(DataType.FLOAT, g.get(1).dataType());
        assertArrayEquals(new long[] {2, 3}, g.get(0).shape());
        assertArrayEquals(new long[] {3}, g.get(1).shape());

        // A double operand is applied in FLOAT: exactly what float arithmetic gives.
        float[] expected = {0.5f + 0.1f, 1.5f + 0.1f, 2f + 0.1f, 0.25f + 0.1f, 1f + 0.1f, 3f + 0.1f};
        float[] actual = x.add(0.1).value().data().asFloat();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-7f);
        }
    }

    @Test
    void nothingIsWrittenIntoInputsOrValues() {
        Random random = new Random(5);
        INDArray x = TestSupport.random(random, Domain.POSITIVE, 2, 3);
        INDArray y = TestSupport.random(random, Domain.POSITIVE, 3);
        INDArray xCopy = x.dup();
        INDArray yCopy = y.dup();
        Variable vx = Variable.constant(x);
        Variable vy = Variable.constant(y);
        INDArray vxValue = vx.value().dup();
        List<Variable> all = new ArrayList<>(List.of(vx.add(vy), vx.sub(vy), vx.mul(vy), vx.div(vy),
                vx.rsub(vy), vx.rdiv(vy), vx.add(2), vx.sub(2), vx.mul(2), vx.div(2), vx.rsub(2), vx.rdiv(2),
                vx.neg(), vx.exp(), vx.log(), vx.sqrt(), vx.pow(2.5), vx.abs(), vx.sin(), vx.cos(), vx.tanh(),
                vx.sigmoid(), vx.relu(), vx.sum(true, 0), vx.mean(1), vx.mmul(vy), vx.transpose(),
                vx.reshape(6), vx.expand(2, 2, 3), vx.softmax(1), vx.logSoftmax(0), vy.transpose()));
        Variable loss = all.get(0).sum();
        for (Variable v : all.subList(1, all.size())) {
            loss = loss.add(v.mul(v).sum());
        }
        List<INDArray> before = new ArrayList<>();
        for (Variable v : all) {
            before.add(v.value().dup());
        }
        List<Variable> g = Tape.grad(loss, vx, vy);
        assertExact(xCopy, x, "x");
        assertExact(yCopy, y, "y");
        assertExact(vxValue, vx.value(), "vx");
        for (int i = 0; i < all.size(); i++) {
            assertExact(before.get(i), all.get(i).value(), "result " + i);
        }
        // Writing into a gradient or into the source array changes nothing else.
        g.get(0).value().addi(100.0);
        x.addi(100.0);
        assertExact(vxValue, vx.value(), "vx after writes");
        assertExact(before.get(0), all.get(0).value(), "result 0 after writes");
    }

    @Test
    void resultsDoNotShareArraysWithTheirInputs() {
        Variable m = Variable.constant(M34);
        Variable s = Variable.constant(Nd4j.scalar(3.0));
        List<Variable> results = List.of(m.transpose(), m.reshape(4, 3), m.reshape(3, 4), m.expand(3, 4),
                m.expand(2, 3, 4), m.sum(true, 0), s.sum(), s.mean(true), s.reshape(), m.add(0.0));
        for (Variable r : results) {
            r.value().addi(1000.0); // not allowed to users, but it must not reach the input
            assertExact(M34, m.value(), r.toString());
            assertExact(Nd4j.scalar(3.0), s.value(), r.toString());
        }
    }

    @Test
    void constantCopiesItsArray() {
        INDArray x = array(shape(2), 1, 2);
        Variable v = Variable.constant(x, "x");
        assertNotSame(x, v.value());
        x.putScalar(0, 42.0);
        assertExact(array(shape(2), 1, 2), v.value());

        // A view of a larger array works like any array.
        INDArray base = array(shape(2, 3), 1, 2, 3, 4, 5, 6);
        Variable row = Variable.constant(base.getRow(1));
        assertExact(array(shape(3), 4, 5, 6), row.value());
        assertExact(array(shape(3), 8, 10, 12), Tape.grad(row.mul(row).sum(), row).get(0).value());
    }

    @Test
    void accessorsAndToString() {
        Variable a = Variable.constant(M34, "a");
        assertEquals("a", a.name());
        assertEquals("Variable[name=a, shape=[3, 4], dtype=DOUBLE]", a.toString());
        Variable sum = a.sum();
        assertNull(sum.name());
        assertEquals("Variable[op=sum, shape=[], dtype=DOUBLE]", sum.toString());
        assertEquals("Variable[constant, shape=[2], dtype=FLOAT]",
                Variable.constant(Nd4j.create(new float[] {1, 2}, new long[] {2})).toString());
        long[] s = a.shape();
        s[0] = 99;
        assertArrayEquals(shape(3, 4), a.shape(), "shape() returns a copy");
        assertEquals(DataType.DOUBLE, a.dataType());
    }
}
