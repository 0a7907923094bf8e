package dev.tapeless.runtime;

import static dev.tapeless.runtime.TestSupport.array;
import static dev.tapeless.runtime.TestSupport.assertExact;
import static dev.tapeless.runtime.TestSupport.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.TestSupport.Domain;
import dev.tapeless.runtime.check.FiniteDifferences;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The tape itself: recording, accumulation, zeros, the loss rules, resets, threads. */
class TapeTest {

    @BeforeEach
    void reset() {
        Tape.reset();
    }

    @Test
    void seedCaseGivesExactlyBAndAPlusTwoB() {
        // Integer-valued doubles: every sum below is exact, so exact equality is fair.
        INDArray a = array(shape(10), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        INDArray b = array(shape(10), -3, 0, 2, 5, 8, -1, 4, 7, -6, 11);
        Variable va = Variable.constant(a, "a");
        Variable vb = Variable.constant(b, "b");
        Variable loss = va.add(vb).mul(vb).sum();
        assertEquals(3, Tape.size(), "add, mul, sum");
        assertEquals(0, loss.value().rank());
        assertEquals(a.add(b).mul(b).sumNumber().doubleValue(), loss.value().getDouble(0L));

        List<Variable> g = Tape.grad(loss, va, vb);
        assertEquals(2, g.size());
        assertExact(b, g.get(0).value());
        assertExact(a.add(b.mul(2.0)), g.get(1).value());
    }

    @Test
    void seedCaseOnRandomInputs() {
        Random random = new Random(7);
        INDArray a = TestSupport.random(random, Domain.ANY, 10);
        INDArray b = TestSupport.random(random, Domain.ANY, 10);
        Variable va = Variable.constant(a);
        Variable vb = Variable.constant(b);
        List<Variable> g = Tape.grad(va.add(vb).mul(vb).sum(), va, vb);
        assertExact(b, g.get(0).value());
        assertTrue(FiniteDifferences.maxAbsDiff(g.get(1).value(), a.add(b.mul(2.0))) < 1e-14);
    }

    @Test
    void variableUsedTwiceInOneOpGetsBothContributions() {
        INDArray x = array(shape(2, 3), 1, -2, 3, 0.5, 4, -1.5);
        Variable vx = Variable.constant(x);
        Variable loss = vx.mul(vx).sum();
        assertExact(x.mul(2.0), Tape.grad(loss, vx).get(0).value());

        Tape.reset();
        Variable vy = Variable.constant(x);
        assertExact(Nd4j.valueArrayOf(new long[] {2, 3}, 2.0, DataType.DOUBLE), Tape.grad(vy.add(vy).sum(), vy).get(0).value());
        Tape.reset();
        assertExact(Nd4j.zeros(DataType.DOUBLE, 2, 3), Tape.grad(vy.sub(vy).sum(), vy).get(0).value());
    }

    @Test
    void variableUsedAcrossManyOpsSumsEveryUse() {
        INDArray x = array(shape(4), 0.3, -1.2, 2.0, 0.7);
        Variable vx = Variable.constant(x);
        // loss = sum(x*x + sin(x) + 3x + exp(x) * x)
        Variable loss = vx.mul(vx).add(vx.sin()).add(vx.mul(3.0)).add(vx.exp().mul(vx)).sum();
        INDArray expected = x.mul(2.0).add(Transforms.cos(x, true)).add(3.0)
                .add(Transforms.exp(x, true).mul(x.add(1.0)));
        INDArray actual = Tape.grad(loss, vx).get(0).value();
        assertTrue(FiniteDifferences.maxRelDiff(actual, expected) < 1e-14, actual + " vs " + expected);
    }

    @Test
    void inputThatDoesNotReachTheLossGetsZerosOfItsShapeAndType() {
        Variable used = Variable.constant(array(shape(3), 1, 2, 3));
        Variable unused = Variable.constant(array(shape(2, 2), 1, 2, 3, 4));
        Variable unusedFloat = Variable.constant(Nd4j.create(new float[] {1, 2}, new long[] {2}));
        Variable unusedScalar = Variable.constant(Nd4j.scalar(5.0));
        unused.exp(); // recorded, but does not lead to the loss
        Variable loss = used.sum();

        List<Variable> g = Tape.grad(loss, used, unused, unusedFloat, unusedScalar);
        assertExact(Nd4j.ones(DataType.DOUBLE, 3), g.get(0).value());
        assertExact(Nd4j.zeros(DataType.DOUBLE, 2, 2), g.get(1).value());
        assertExact(Nd4j.zeros(DataType.FLOAT, 2), g.get(2).value());
        assertEquals(DataType.FLOAT, g.get(2).dataType());
        assertArrayEquals(new long[0], g.get(3).shape());
        assertEquals(0.0, g.get(3).value().getDouble(0L));
    }

    @Test
    void mulByExactlyOneRecordsNothing() {
        Variable x = Variable.constant(array(shape(3), 1, 2, 3));
        int before = Tape.size();
        assertSame(x, x.mul(1.0));
        assertSame(x, x.mul(1));
        assertEquals(before, Tape.size());

        Variable y = x.mul(1.0000001);
        assertNotSame(x, y);
        assertEquals(before + 1, Tape.size());
        x.mul(Variable.constant(Nd4j.scalar(1.0)));
        assertEquals(before + 2, Tape.size(), "mul by a variable holding 1 is an ordinary op");
    }

    @Test
    void everyOpRecordsOneEntry() {
        Variable x = Variable.constant(array(shape(2, 2), 1, 2, 3, 4));
        Variable y = Variable.constant(array(shape(2), 1, 2));
        List<Supplier<Variable>> ops = List.of(() -> x.add(y), () -> x.sub(y), () -> x.mul(y),
                () -> x.div(y), () -> x.rsub(y), () -> x.rdiv(y), () -> x.add(1), () -> x.sub(1),
                () -> x.mul(2), () -> x.div(2), () -> x.rsub(1), () -> x.rdiv(1), x::neg, x::exp, x::log,
                x::sqrt, () -> x.pow(2), x::abs, x::sin, x::cos, x::tanh, x::sigmoid, x::relu, x::sum,
                () -> x.sum(true, 0), x::mean, () -> x.mean(1), () -> x.mmul(y), x::transpose,
                () -> x.reshape(4), () -> x.expand(3, 2, 2), () -> x.softmax(0), () -> x.logSoftmax(1));
        for (int i = 0; i < ops.size(); i++) {
            Variable v = ops.get(i).get();
            assertEquals(i + 1, Tape.size(), "op " + i + ": " + v);
        }
    }

    @Test
    void transposeOfRankZeroAndOneIsTheSameVariable() {
        Variable v = Variable.constant(array(shape(3), 1, 2, 3));
        Variable s = Variable.constant(Nd4j.scalar(2.0));
        assertSame(v, v.transpose());
        assertSame(s, s.transpose());
        assertEquals(0, Tape.size());
    }

    @Test
    void lossMustHaveExactlyOneElement() {
        Variable x = Variable.constant(array(shape(3, 4), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tape.grad(x.exp(), x));
        assertTrue(e.getMessage().startsWith("grad: "), e.getMessage());
        assertTrue(e.getMessage().contains("[3, 4]"), e.getMessage());

        // Any shape with one element is a valid loss; the seed takes its shape.
        Variable v = Variable.constant(array(shape(3), 1, 2, 3));
        assertExact(Nd4j.ones(DataType.DOUBLE, 3), Tape.grad(v.sum(true), v).get(0).value());
        Variable m = Variable.constant(array(shape(1, 1), 3));
        assertExact(array(shape(1, 1), 6), Tape.grad(m.mul(m), m).get(0).value());
    }

    @Test
    void gradientOfTheLossWithRespectToItselfIsOne() {
        Variable x = Variable.constant(array(shape(2), 1, 2));
        Variable loss = x.sum();
        assertExact(Nd4j.scalar(1.0), Tape.grad(loss, loss).get(0).value());
        Variable leaf = Variable.constant(Nd4j.scalar(4.0));
        assertExact(Nd4j.scalar(1.0), Tape.grad(leaf, leaf).get(0).value());
    }

    @Test
    void gradientWithRespectToAnIntermediate() {
        INDArray x = array(shape(3), 0.1, 0.2, 0.3);
        Variable vx = Variable.constant(x);
        Variable y = vx.mul(2.0);
        Variable loss = y.sin().sum();
        List<Variable> g = Tape.grad(loss, y, vx);
        assertExact(Transforms.cos(x.mul(2.0), true), g.get(0).value());
        assertExact(Transforms.cos(x.mul(2.0), true).mul(2.0), g.get(1).value());
    }

    @Test
    void gradLeavesTheTapeAloneAndCanBeRepeated() {
        Variable x = Variable.constant(array(shape(3), 1, 2, 3));
        Variable loss = x.pow(3).sum();
        int size = Tape.size();
        INDArray first = Tape.grad(loss, x).get(0).value();
        assertEquals(size, Tape.size());
        assertExact(first, Tape.grad(loss, x).get(0).value());
        assertExact(array(shape(3), 3, 12, 27), first);
        assertEquals(0, Tape.grad(loss).size());
    }

    @Test
    void unrelatedEarlierAndLaterEntriesAreIgnored() {
        Variable x = Variable.constant(array(shape(2), 1, 2));
        Variable other = Variable.constant(array(shape(2), 5, 6));
        other.mul(other).exp().sum();
        Variable loss = x.mul(3.0).sum();
        x.mul(100.0).sum(); // after the loss: never reaches it
        List<Variable> g = Tape.grad(loss, x, other);
        assertExact(array(shape(2), 3, 3), g.get(0).value());
        assertExact(Nd4j.zeros(DataType.DOUBLE, 2), g.get(1).value());
    }

    @Test
    void resetClearsTheTapeAndOldResultsBecomeLeaves() {
        Variable x = Variable.constant(array(shape(2), 1, 2));
        Variable y = x.exp();
        assertEquals(1, Tape.size());
        Tape.reset();
        assertEquals(0, Tape.size());
        Variable loss = y.sum();
        List<Variable> g = Tape.grad(loss, x, y);
        assertExact(Nd4j.zeros(DataType.DOUBLE, 2), g.get(0).value(), "gradient stops at the reset");
        assertExact(Nd4j.ones(DataType.DOUBLE, 2), g.get(1).value());
    }

    @Test
    void gradientsAreFreshArrays() {
        INDArray a = array(shape(2), 1, 2);
        Variable va = Variable.constant(a);
        Variable vb = Variable.constant(a);
        Variable loss = va.add(vb).sum(); // add passes one adjoint array to both inputs
        List<Variable> g = Tape.grad(loss, va, vb, loss);
        g.get(0).value().addi(10.0);
        assertExact(array(shape(2), 1, 1), g.get(1).value());
        assertExact(Nd4j.scalar(1.0), g.get(2).value());
        assertExact(a, va.value());
        assertEquals(DataType.DOUBLE, g.get(0).dataType());
    }

    @Test
    void gradRejectsNulls() {
        Variable x = Variable.constant(Nd4j.scalar(1.0));
        assertMessage("grad: loss is null", () -> Tape.grad(null, x));
        assertMessage("grad: wrt is null", () -> Tape.grad(x, (Variable[]) null));
        assertMessage("grad: wrt[1] is null", () -> Tape.grad(x, x, null));
    }

    @Test
    void threadsHaveTheirOwnTapes() throws Exception {
        int iterations = 150;
        CyclicBarrier start = new CyclicBarrier(2);
        INDArray xs = array(shape(2, 3), 0.5, -1, 2, 0.25, 3, -0.75);
        INDArray ys = array(shape(3), 0.1, 0.7, -0.4);

        // Thread 1: sum(x * x) with gradient 2x, three entries per iteration.
        Callable<Integer> squares = () -> {
            start.await();
            for (int i = 0; i < iterations; i++) {
                Tape.reset();
                INDArray x = xs.add(i);
                Variable v = Variable.constant(x);
                Variable loss = v.mul(v).sum();
                assertEquals(2, Tape.size(), "thread 1, iteration " + i);
                assertExact(x.mul(2.0), Tape.grad(loss, v).get(0).value(), "thread 1, iteration " + i);
                Thread.yield();
            }
            return Tape.size();
        };
        // Thread 2: sum(3 sin(y)) with gradient 3 cos(y), and an unrelated entry.
        Callable<Integer> sines = () -> {
            start.await();
            for (int i = 0; i < iterations; i++) {
                Tape.reset();
                INDArray y = ys.mul(i + 1);
                Variable v = Variable.constant(y);
                v.exp();
                Variable loss = v.sin().mul(3.0).sum();
                assertEquals(4, Tape.size(), "thread 2, iteration " + i);
                assertExact(Transforms.cos(y, true).mul(3.0), Tape.grad(loss, v).get(0).value(),
                        "thread 2, iteration " + i);
                Thread.yield();
            }
            return Tape.size();
        };

        Variable mine = Variable.constant(Nd4j.scalar(1.0)).exp();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            results.add(pool.submit(squares));
            results.add(pool.submit(sines));
            assertEquals(2, results.get(0).get(60, TimeUnit.SECONDS));
            assertEquals(4, results.get(1).get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, Tape.size(), "this thread's tape is untouched");
        assertExact(Nd4j.scalar(1.0), Tape.grad(mine, mine).get(0).value());
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
