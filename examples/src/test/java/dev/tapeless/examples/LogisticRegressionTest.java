package dev.tapeless.examples;

import static dev.tapeless.examples.Exact.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.runtime.Tape;
import dev.tapeless.runtime.Variable;
import dev.tapeless.runtime.check.FiniteDifferences;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.EnumSource.Mode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Logistic regression's loss: three ways in both types, ops against the tape, and descent that learns. */
class LogisticRegressionTest {
    private final Random rng = new Random(3);

    private record Problem(INDArray w, INDArray b, INDArray x, INDArray y) {}

    /** Examples labelled by a planted linear rule, and a random starting point. */
    private Problem problem(DataType type, int n, int d) {
        INDArray x = ExampleCheck.uniform(rng, type, -2, 2, n, d);
        INDArray planted = ExampleCheck.uniform(rng, type, -1, 1, d);
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) labels[i] = x.getRow(i).mul(planted).sumNumber().doubleValue() > 0 ? 1 : 0;
        return new Problem(ExampleCheck.uniform(rng, type, -1, 1, d), ExampleCheck.uniform(rng, type, -0.5, 0.5),
                x, Nd4j.createFromArray(labels).castTo(type));
    }

    private static Function<List<Variable>, Variable> onTape(Problem p) {
        return v -> LogisticRegression.loss(v.get(0), v.get(1), p.x(), p.y());
    }

    private static Function<List<INDArray>, List<INDArray>> generated(Problem p) {
        return a -> {
            var g = LogisticRegressionDerivatives.lossGradient(a.get(0), a.get(1), p.x(), p.y());
            return List.of(g.value(), g.w(), g.b());
        };
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"}, mode = Mode.INCLUDE)
    void gradientMatchesTapeAndFiniteDifferences(DataType type) {
        Problem p = problem(type, 16, 5);
        ExampleCheck.threeWays(onTape(p), generated(p), List.of("w", "b"), List.of(p.w(), p.b()));
    }

    @Test
    void gradientRunsNoMoreOpsThanTheTape() {
        Problem p = problem(DataType.DOUBLE, 16, 5);
        ExampleCheck.noMoreOpsThanTheTape("logistic regression", onTape(p), generated(p), List.of(p.w(), p.b()));
    }

    @Test
    void pullbackOfOneIsTheGradientAndProbabilitiesMatchTheTape() {
        Problem p = problem(DataType.DOUBLE, 16, 5);
        var g = LogisticRegressionDerivatives.lossGradient(p.w(), p.b(), p.x(), p.y());
        var pulled = LogisticRegressionDerivatives.lossVjp(p.w(), p.b(), p.x(), p.y()).pullback(Nd4j.scalar(1.0));
        assertExact(g.w(), pulled.w());
        assertExact(g.b(), pulled.b());
        Tape.reset();
        INDArray onTape = LogisticRegression.probability(Variable.constant(p.w()), Variable.constant(p.b()), p.x()).value();
        Tape.reset();
        assertTrue(FiniteDifferences.maxAbsDiff(LogisticRegressionDerivatives.probability(p.w(), p.b(), p.x()), onTape) < 1e-12);
    }

    @Test
    void gradientDescentLearnsThePlantedRule() {
        Problem p = problem(DataType.DOUBLE, 200, 3);
        INDArray w = p.w().dup();
        INDArray b = p.b().dup();
        double first = LogisticRegressionDerivatives.loss(w, b, p.x(), p.y()).getDouble(0);
        for (int step = 0; step < 200; step++) {
            var g = LogisticRegressionDerivatives.lossGradient(w, b, p.x(), p.y());
            w.subi(g.w().mul(1.0));
            b.subi(g.b().mul(1.0));
        }
        double last = LogisticRegressionDerivatives.loss(w, b, p.x(), p.y()).getDouble(0);
        INDArray predicted = LogisticRegressionDerivatives.probability(w, b, p.x()).gt(0.5).castTo(DataType.DOUBLE);
        double errors = predicted.neq(p.y()).castTo(DataType.DOUBLE).sumNumber().doubleValue();
        assertTrue(last < first / 2, first + " -> " + last);
        assertTrue(errors <= 10, errors + " of 200 misclassified");
    }
}
