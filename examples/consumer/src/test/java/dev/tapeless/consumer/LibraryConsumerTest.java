package dev.tapeless.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapeless.library.Activations;
import dev.tapeless.library.ActivationsDerivatives;
import dev.tapeless.library.Normal;
import dev.tapeless.library.NormalDerivatives;
import dev.tapeless.runtime.check.GradientCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * This module is compiled against the library's jar: every call below into {@code dev.tapeless.library}
 * goes through the companions the library's build generated. Gradients are checked against the
 * runtime tape (which runs the library's methods, custom derivatives included) and against central
 * finite differences.
 */
class LibraryConsumerTest {

    private static INDArray uniform(Random r, double scale, long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) a.putScalar(i, scale * (2 * r.nextDouble() - 1));
        return a;
    }

    @ParameterizedTest
    @CsvSource({"100, 100, 0.05, 0.2, 1", "120, 100, 0.01, 0.35, 0.25", "80, 100, 0.03, 0.15, 2",
            "100, 150, -0.005, 0.6, 5", "100, 300, 0.02, 0.1, 0.1"})
    void optionGreeksThroughTheLibrarysCustomDerivative(double spot, double strike, double rate, double vol, double expiry) {
        var g = OptionsDerivatives.callPriceGradient(spot, strike, rate, vol, expiry);
        assertEquals(Options.callPrice(spot, strike, rate, vol, expiry), g.value(), 0.0, "the forward pass is the source's, bit for bit");

        double sqrtT = Math.sqrt(expiry);
        double d1 = (Math.log(spot / strike) + (rate + vol * vol / 2) * expiry) / (vol * sqrtT);
        double d2 = d1 - vol * sqrtT;
        double discount = Math.exp(-rate * expiry);
        double delta = Normal.cdf(d1);
        double vega = spot * Normal.density(d1) * sqrtT;
        double rho = strike * expiry * discount * Normal.cdf(d2);
        double theta = -spot * Normal.density(d1) * vol / (2 * sqrtT) - rate * strike * discount * Normal.cdf(d2);
        assertEquals(delta, g.spot(), 1e-13 * Math.max(1, Math.abs(delta)));
        assertEquals(vega, g.volatility(), 1e-12 * Math.max(1, Math.abs(vega)));
        assertEquals(rho, g.rate(), 1e-12 * Math.max(1, Math.abs(rho)));
        assertEquals(theta, -g.expiry(), 1e-12 * Math.max(1, Math.abs(theta)));

        double h = 1e-5 * spot;
        double fd = (Options.callPrice(spot + h, strike, rate, vol, expiry) - Options.callPrice(spot - h, strike, rate, vol, expiry)) / (2 * h);
        assertEquals(fd, g.spot(), 1e-7);
    }

    @Test
    void theGeneratedCodeCallsTheLibrarysCompanion() throws IOException {
        String generated = Files.readString(Path.of("target/generated-sources/annotations/dev/tapeless/consumer/OptionsDerivatives.java"));
        assertTrue(generated.contains("NormalDerivatives.CdfVjp cdfVjp = NormalDerivatives.cdfVjp(d1);"), generated);
        assertTrue(generated.contains("cdfVjp.pullback("), generated);
        String classifier = Files.readString(Path.of("target/generated-sources/annotations/dev/tapeless/consumer/ClassifierDerivatives.java"));
        assertTrue(classifier.contains("ActivationsDerivatives.swishVjp("), classifier);
        assertTrue(classifier.contains("LossesDerivatives.crossEntropyVjp("), classifier);
    }

    /** The library's custom derivative of N against central differences, from the far left tail to the far right. */
    @ParameterizedTest
    @ValueSource(doubles = {-30, -8, -1.5, -1e-3, 0, 1e-9, 0.7, 3, 8, 30})
    void theNormalCdfsCustomDerivativeAgreesWithFiniteDifferences(double x) {
        var g = NormalDerivatives.cdfGradient(x);
        assertEquals(Normal.cdf(x), g.value(), 0.0);
        // A step that shrinks as the density gets steeper (its error is (x h)²/6, relative); on the
        // right, where N(x) rounds to 1, the differences of N(-x), which is as steep the other way.
        double h = 1e-4 / Math.max(1, Math.abs(x));
        double t = x > 0 ? -x : x;
        double fd = (Normal.cdf(t + h) - Normal.cdf(t - h)) / (2 * h);
        assertEquals(fd, g.x(), 1e-6 * fd, "at " + x);
        assertEquals(2.5 * g.x(), NormalDerivatives.cdfVjp(x).pullback(2.5).x(), 0.0);
    }

    /** softplus's custom derivative: generated against the tape (which calls it too) and finite differences, to ±700. */
    @ParameterizedTest
    @ValueSource(doubles = {1e-3, 1, 30, 700})
    void softplusAgreesWithTheTapeAndFiniteDifferences(double scale) {
        INDArray x = uniform(new Random(7), scale, 3, 4);
        GradientCheck.of(v -> Activations.softplus(v.get(0)).sum(),
                in -> {
                    var g = ActivationsDerivatives.softplusVjp(in.get(0));
                    return List.of(g.value().sum(), g.pullback(Nd4j.onesLike(g.value())).x());
                },
                List.of("x"), List.of(x), 1e-6 * Math.max(1, scale / 30)).assertWithin(1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void theClassifierAgreesWithTheTapeAndFiniteDifferences(int batch) {
        Random r = new Random(11 + batch);
        INDArray x = uniform(r, 1.5, batch, 4);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, batch, 3);
        for (int i = 0; i < batch; i++) labels.putScalar(i, r.nextInt(3), 1.0);
        INDArray w1 = uniform(r, 0.8, 4, 6);
        INDArray w2 = uniform(r, 0.8, 6, 3);
        GradientCheck.of(v -> Classifier.loss(v.get(0), v.get(1), x, labels),
                in -> {
                    var g = ClassifierDerivatives.lossGradient(in.get(0), in.get(1), x, labels);
                    return List.of(g.value(), g.w1(), g.w2());
                },
                List.of("w1", "w2"), List.of(w1, w2)).assertWithin(1e-7);
    }

    @Test
    void theSurrogateGradientIsTheTapesAndTheStraightThroughOne() {
        Random r = new Random(5);
        INDArray x = uniform(r, 1, 8, 3);
        INDArray y = uniform(r, 1, 8, 1);
        INDArray w = uniform(r, 1, 3, 1);
        GradientCheck.Report report = GradientCheck.of(v -> Quantized.loss(v.get(0), x, y),
                in -> {
                    var g = QuantizedDerivatives.lossGradient(in.get(0), x, y);
                    return List.of(g.value(), g.w());
                },
                List.of("w"), List.of(w), 1e-3);
        assertTrue(report.rows().get(0).vsTape() < 1e-12, report.toString());
        assertTrue(report.rows().get(0).vsFiniteDifferences() > 0.5,
                "rounding's true derivative is 0 almost everywhere, and the surrogate's is not:\n" + report);

        // By hand: q = round(4w)/4, r = x q - y, loss = mean(r²); straight through, d loss/dw = d loss/dq = xᵀ 2r / n.
        INDArray q = org.nd4j.linalg.ops.transforms.Transforms.round(w.mul(4.0), true).div(4.0);
        INDArray residual = x.mmul(q).sub(y);
        INDArray expected = x.transpose().mmul(residual.mul(2.0 / residual.length()));
        var g = QuantizedDerivatives.lossGradient(w, x, y);
        assertEquals(residual.mul(residual).meanNumber().doubleValue(), g.value().getDouble(0), 1e-15);
        for (int i = 0; i < 3; i++) assertEquals(expected.getDouble(i), g.w().getDouble(i), 1e-14);
    }
}
