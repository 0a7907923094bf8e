package dev.tapeless.runtime;

import static dev.tapeless.runtime.TestSupport.Domain.ANY;
import static dev.tapeless.runtime.TestSupport.Domain.AWAY_FROM_ZERO;
import static dev.tapeless.runtime.TestSupport.Domain.POSITIVE;
import static dev.tapeless.runtime.TestSupport.shape;

import dev.tapeless.runtime.TestSupport.Domain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every op's tape gradient against central finite differences, over a table of ops and shapes
 * (ranks 0 to 3, broadcast pairs, negative dims, keepDims).
 */
class GradientCheckTest {

    /** One row of the table: a labelled op over some fixed DOUBLE inputs. */
    record Case(String label, Function<List<Variable>, Variable> op, List<INDArray> inputs) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static final long[][] ELEMENTWISE_SHAPES = {shape(), shape(5), shape(3, 4), shape(2, 3, 4)};

    /** Operand shape pairs for the broadcasting binary ops. */
    private static final long[][][] BINARY_SHAPES = {
        {shape(), shape()},
        {shape(5), shape(5)},
        {shape(3, 4), shape(3, 4)},
        {shape(2, 3, 4), shape(2, 3, 4)},
        {shape(3, 4), shape(4)},
        {shape(4), shape(3, 4)},
        {shape(3, 4), shape(1, 4)},
        {shape(3, 4), shape(3, 1)},
        {shape(3, 1), shape(1, 4)},
        {shape(), shape(2, 3)},
        {shape(2, 3), shape()},
        {shape(2, 3, 4), shape(3, 1)},
        {shape(1, 3, 1), shape(2, 1, 4)},
        {shape(1), shape(2, 3)},
    };

    private static int seed = 0;

    private static Random nextRandom() {
        return new Random(1234 + seed++);
    }

    private static Case unary(String label, Domain domain, long[] s, UnaryOperator<Variable> op) {
        Random random = nextRandom();
        return new Case(label + " " + Arrays.toString(s), vs -> op.apply(vs.get(0)),
                List.of(TestSupport.random(random, domain, s)));
    }

    private static Case binary(String label, Domain left, Domain right, long[] a, long[] b,
            BiFunction<Variable, Variable, Variable> op) {
        Random random = nextRandom();
        return new Case(label + " " + Arrays.toString(a) + " " + Arrays.toString(b),
                vs -> op.apply(vs.get(0), vs.get(1)),
                List.of(TestSupport.random(random, left, a), TestSupport.random(random, right, b)));
    }

    static List<Case> cases() {
        seed = 0;
        List<Case> cases = new ArrayList<>();

        // Binary ops between two variables, with broadcasting.
        for (long[][] pair : BINARY_SHAPES) {
            long[] a = pair[0];
            long[] b = pair[1];
            cases.add(binary("add", ANY, ANY, a, b, Variable::add));
            cases.add(binary("sub", ANY, ANY, a, b, Variable::sub));
            cases.add(binary("mul", ANY, ANY, a, b, Variable::mul));
            cases.add(binary("div", ANY, POSITIVE, a, b, Variable::div));
            cases.add(binary("rsub", ANY, ANY, a, b, Variable::rsub));
            cases.add(binary("rdiv", POSITIVE, ANY, a, b, Variable::rdiv));
        }

        // Binary ops with a double, and unary ops.
        for (long[] s : ELEMENTWISE_SHAPES) {
            cases.add(unary("add(1.7)", ANY, s, x -> x.add(1.7)));
            cases.add(unary("sub(1.7)", ANY, s, x -> x.sub(1.7)));
            cases.add(unary("mul(-2.5)", ANY, s, x -> x.mul(-2.5)));
            cases.add(unary("mul(1.0)", ANY, s, x -> x.mul(1.0)));
            cases.add(unary("div(-2.5)", ANY, s, x -> x.div(-2.5)));
            cases.add(unary("rsub(1.7)", ANY, s, x -> x.rsub(1.7)));
            cases.add(unary("rdiv(1.7)", POSITIVE, s, x -> x.rdiv(1.7)));
            cases.add(unary("neg", ANY, s, Variable::neg));
            cases.add(unary("exp", ANY, s, Variable::exp));
            cases.add(unary("log", POSITIVE, s, Variable::log));
            cases.add(unary("sqrt", POSITIVE, s, Variable::sqrt));
            cases.add(unary("pow(3)", ANY, s, x -> x.pow(3.0)));
            cases.add(unary("pow(2)", ANY, s, x -> x.pow(2.0)));
            cases.add(unary("pow(2.5)", POSITIVE, s, x -> x.pow(2.5)));
            cases.add(unary("pow(-1.5)", POSITIVE, s, x -> x.pow(-1.5)));
            cases.add(unary("pow(1)", ANY, s, x -> x.pow(1.0)));
            cases.add(unary("pow(0)", ANY, s, x -> x.pow(0.0)));
            cases.add(unary("abs", AWAY_FROM_ZERO, s, Variable::abs));
            cases.add(unary("sin", ANY, s, Variable::sin));
            cases.add(unary("cos", ANY, s, Variable::cos));
            cases.add(unary("tanh", ANY, s, Variable::tanh));
            cases.add(unary("sigmoid", ANY, s, Variable::sigmoid));
            cases.add(unary("relu", AWAY_FROM_ZERO, s, Variable::relu));
            cases.add(unary("sum()", ANY, s, x -> x.sum()));
            cases.add(unary("mean()", ANY, s, x -> x.mean()));
            cases.add(unary("sum(true)", ANY, s, x -> x.sum(true)));
            cases.add(unary("transpose", ANY, s, Variable::transpose));
            cases.add(unary("reshape(-1)", ANY, s, x -> x.reshape(-1)));
        }

        // Reductions along dims.
        cases.add(unary("sum(0)", ANY, shape(5), x -> x.sum(0)));
        cases.add(unary("sum(true, 0)", ANY, shape(5), x -> x.sum(true, 0)));
        cases.add(unary("sum(0)", ANY, shape(3, 4), x -> x.sum(0)));
        cases.add(unary("sum(1)", ANY, shape(3, 4), x -> x.sum(1)));
        cases.add(unary("sum(-1)", ANY, shape(3, 4), x -> x.sum(-1)));
        cases.add(unary("sum(true, 1)", ANY, shape(3, 4), x -> x.sum(true, 1)));
        cases.add(unary("sum(true, -2)", ANY, shape(3, 4), x -> x.sum(true, -2)));
        cases.add(unary("sum(0, 1)", ANY, shape(3, 4), x -> x.sum(0, 1)));
        cases.add(unary("sum(1)", ANY, shape(2, 3, 4), x -> x.sum(1)));
        cases.add(unary("sum(2, 0)", ANY, shape(2, 3, 4), x -> x.sum(2, 0)));
        cases.add(unary("sum(true, 0, 2)", ANY, shape(2, 3, 4), x -> x.sum(true, 0, 2)));
        cases.add(unary("sum(true, -1)", ANY, shape(2, 3, 4), x -> x.sum(true, -1)));
        cases.add(unary("mean(0)", ANY, shape(5), x -> x.mean(0)));
        cases.add(unary("mean(0)", ANY, shape(3, 4), x -> x.mean(0)));
        cases.add(unary("mean(-1)", ANY, shape(3, 4), x -> x.mean(-1)));
        cases.add(unary("mean(true, 1)", ANY, shape(3, 4), x -> x.mean(true, 1)));
        cases.add(unary("mean(1)", ANY, shape(2, 3, 4), x -> x.mean(1)));
        cases.add(unary("mean(true, 0, 2)", ANY, shape(2, 3, 4), x -> x.mean(true, 0, 2)));
        cases.add(unary("mean(-1, -3)", ANY, shape(2, 3, 4), x -> x.mean(-1, -3)));

        // Matrix products: every rank combination NumPy's matmul allows for ranks 1 and 2.
        cases.add(binary("mmul", ANY, ANY, shape(3, 4), shape(4, 2), Variable::mmul));
        cases.add(binary("mmul", ANY, ANY, shape(3, 4), shape(4), Variable::mmul));
        cases.add(binary("mmul", ANY, ANY, shape(4), shape(4, 2), Variable::mmul));
        cases.add(binary("mmul", ANY, ANY, shape(4), shape(4), Variable::mmul));
        cases.add(binary("mmul", ANY, ANY, shape(1, 4), shape(4, 1), Variable::mmul));
        cases.add(binary("mmul", ANY, ANY, shape(5, 1), shape(1, 3), Variable::mmul));

        // Shape ops.
        cases.add(unary("reshape(2, 6)", ANY, shape(3, 4), x -> x.reshape(2, 6)));
        cases.add(unary("reshape(4, -1)", ANY, shape(2, 3, 4), x -> x.reshape(4, -1)));
        cases.add(unary("reshape(2, 3)", ANY, shape(6), x -> x.reshape(2, 3)));
        cases.add(unary("reshape(1, 1)", ANY, shape(), x -> x.reshape(1, 1)));
        cases.add(unary("reshape()", ANY, shape(1), x -> x.reshape()));
        cases.add(unary("transpose then reshape", ANY, shape(3, 4), x -> x.transpose().reshape(2, 6)));
        cases.add(unary("expand(2, 3)", ANY, shape(), x -> x.expand(2, 3)));
        cases.add(unary("expand(3, 4)", ANY, shape(4), x -> x.expand(3, 4)));
        cases.add(unary("expand(3, 4)", ANY, shape(3, 1), x -> x.expand(3, 4)));
        cases.add(unary("expand(2, 3, 4)", ANY, shape(1, 4), x -> x.expand(2, 3, 4)));
        cases.add(unary("expand(2, 3, 4)", ANY, shape(3, 1), x -> x.expand(2, 3, 4)));
        cases.add(unary("expand(3, 4)", ANY, shape(3, 4), x -> x.expand(3, 4)));

        // Softmax and log-softmax along every dim.
        cases.add(unary("softmax(0)", ANY, shape(5), x -> x.softmax(0)));
        cases.add(unary("logSoftmax(-1)", ANY, shape(5), x -> x.logSoftmax(-1)));
        for (int dim : new int[] {0, 1, -1}) {
            cases.add(unary("softmax(" + dim + ")", ANY, shape(3, 4), x -> x.softmax(dim)));
            cases.add(unary("logSoftmax(" + dim + ")", ANY, shape(3, 4), x -> x.logSoftmax(dim)));
        }
        for (int dim : new int[] {0, 1, 2, -2}) {
            cases.add(unary("softmax(" + dim + ")", ANY, shape(2, 3, 4), x -> x.softmax(dim)));
            cases.add(unary("logSoftmax(" + dim + ")", ANY, shape(2, 3, 4), x -> x.logSoftmax(dim)));
        }

        // Compositions: reuse of one variable across ops, chains through every kind of op.
        cases.add(binary("(a + b) * b", ANY, ANY, shape(10), shape(10), (a, b) -> a.add(b).mul(b)));
        cases.add(binary("x reused", ANY, AWAY_FROM_ZERO, shape(3, 4), shape(4),
                (x, b) -> x.mul(x).add(x.sin().mul(b)).sub(x.exp().div(b.abs().add(1.0))).add(x.sum(true, 0))));
        cases.add(binary("x.mul(x)", ANY, ANY, shape(2, 3), shape(), (x, s) -> x.mul(x).mul(s)));
        cases.add(new Case("dense layer + logSoftmax", vs -> vs.get(0).mmul(vs.get(1)).add(vs.get(2))
                .tanh().logSoftmax(1), List.of(
                        TestSupport.random(nextRandom(), ANY, 4, 3),
                        TestSupport.random(nextRandom(), ANY, 3, 5),
                        TestSupport.random(nextRandom(), ANY, 5))));
        cases.add(new Case("mean squared error", vs -> vs.get(0).mmul(vs.get(1)).sub(vs.get(2)).pow(2.0).mean(),
                List.of(TestSupport.random(nextRandom(), ANY, 6, 3),
                        TestSupport.random(nextRandom(), ANY, 3),
                        TestSupport.random(nextRandom(), ANY, 6))));
        cases.add(binary("transpose, expand, softmax", ANY, ANY, shape(2, 3, 4), shape(3, 1),
                (x, y) -> x.transpose().mul(y.expand(4, 3, 2)).sigmoid().softmax(-2).relu().sqrt()));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tapeGradientMatchesFiniteDifferences(Case c) {
        TestSupport.checkGradients(c.label(), c.op(), c.inputs());
    }
}
