package dev.tapeless.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated gradient of the Black–Scholes call price against the closed-form greeks, and the
 * normal distribution function it is built on against its known values and its density.
 */
class BlackScholesTest {
    /** The greeks agree to this, relative to max(1, |greek|): about what Hart's N' is good for. */
    private static final double GREEKS = 1e-11;

    static Stream<Arguments> markets() {
        // spot, strike, rate, volatility, expiry: at, in and out of the money, short and long dated.
        return Stream.of(
                Arguments.of(100.0, 100.0, 0.05, 0.2, 1.0),
                Arguments.of(120.0, 100.0, 0.01, 0.35, 0.25),
                Arguments.of(80.0, 100.0, 0.03, 0.15, 2.0),
                Arguments.of(42.0, 40.0, 0.10, 0.2, 0.5),
                Arguments.of(100.0, 150.0, -0.005, 0.6, 5.0));
    }

    private static double density(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    @ParameterizedTest
    @MethodSource("markets")
    void generatedGradientIsTheClosedFormGreeks(double spot, double strike, double rate, double vol, double expiry) {
        var g = BlackScholesDerivatives.callPriceGradient(spot, strike, rate, vol, expiry);

        double sqrtT = Math.sqrt(expiry);
        double d1 = (Math.log(spot / strike) + (rate + vol * vol / 2) * expiry) / (vol * sqrtT);
        double d2 = d1 - vol * sqrtT;
        double discount = Math.exp(-rate * expiry);
        double delta = BlackScholes.normalCdf(d1);
        double vega = spot * density(d1) * sqrtT;
        double rho = strike * expiry * discount * BlackScholes.normalCdf(d2);
        double theta = -spot * density(d1) * vol / (2 * sqrtT) - rate * strike * discount * BlackScholes.normalCdf(d2);

        assertEquals(BlackScholes.callPrice(spot, strike, rate, vol, expiry), g.value());
        assertEquals(spot * delta - strike * discount * BlackScholes.normalCdf(d2), g.value(), 1e-12 * g.value());
        ScalarCheckGreeks.close("delta", delta, g.spot(), GREEKS);
        ScalarCheckGreeks.close("vega", vega, g.volatility(), GREEKS);
        ScalarCheckGreeks.close("rho", rho, g.rate(), GREEKS);
        ScalarCheckGreeks.close("theta", theta, -g.expiry(), GREEKS);
    }

    @ParameterizedTest
    @MethodSource("markets")
    void pullbackScalesTheGreeks(double spot, double strike, double rate, double vol, double expiry) {
        var g = BlackScholesDerivatives.callPriceGradient(spot, strike, rate, vol, expiry);
        var vjp = BlackScholesDerivatives.callPriceVjp(spot, strike, rate, vol, expiry);
        assertEquals(g.value(), vjp.value());
        var p = vjp.pullback(1000.0); // a position of 1000 calls
        ScalarCheckGreeks.close("delta x 1000", 1000 * g.spot(), p.spot(), 1e-14);
        ScalarCheckGreeks.close("vega x 1000", 1000 * g.volatility(), p.volatility(), 1e-14);
        ScalarCheckGreeks.close("rho x 1000", 1000 * g.rate(), p.rate(), 1e-14);
        ScalarCheckGreeks.close("theta x 1000", 1000 * g.expiry(), p.expiry(), 1e-14);
        assertEquals(BlackScholes.callPrice(spot, strike, rate, vol, expiry), BlackScholesDerivatives.callPrice(spot, strike, rate, vol, expiry));
    }

    @Test
    void strikeIsNotDifferentiated() {
        var components = BlackScholesDerivatives.CallPriceGradient.class.getRecordComponents();
        assertEquals("value spot rate volatility expiry",
                String.join(" ", Stream.of(components).map(c -> c.getName()).toList()));
    }

    @Test
    void normalCdfHasItsKnownValues() {
        assertEquals(0.5, BlackScholes.normalCdf(0), 1e-16);
        assertEquals(0.8413447460685429, BlackScholes.normalCdf(1), 2e-16);
        assertEquals(0.9750021048517795, BlackScholes.normalCdf(1.96), 2e-16);
        // Absolute errors stay below 1e-16 everywhere; relative ones grow in the lower tail: about
        // 1e-14 at -3 (the rational approximation), 1e-9 beyond -7.07 (the continued fraction).
        assertEquals(0.0013498980316300946, BlackScholes.normalCdf(-3), 1e-13 * 0.0013498980316300946);
        assertEquals(7.61985302416047e-24, BlackScholes.normalCdf(-10), 1e-8 * 7.61985302416047e-24);
        assertEquals(0.0, BlackScholes.normalCdf(-40));
        assertEquals(1.0, BlackScholes.normalCdf(40));
        for (double x = -6; x <= 6; x += 0.25) {
            assertEquals(1.0, BlackScholes.normalCdf(x) + BlackScholes.normalCdf(-x), 2e-16, "symmetry at " + x);
        }
    }

    @Test
    void generatedDerivativeOfNormalCdfIsTheDensityEverywhere() {
        for (double x = -8; x <= 8; x += 1.0 / 16) {
            var g = BlackScholesDerivatives.normalCdfGradient(x);
            assertEquals(BlackScholes.normalCdf(x), g.value());
            double tolerance = Math.abs(x) < 3 ? 1e-13 : 1e-8; // relative; Hart's tail is made for N, not N'
            assertEquals(density(x), g.x(), tolerance * density(x), "N'(" + x + ")");
        }
        // At 0, where |x| has a kink, the branch taken carries the slope.
        assertEquals(density(0), BlackScholesDerivatives.normalCdfGradient(0).x(), 1e-13 * density(0));
        assertEquals(0.0, BlackScholesDerivatives.normalCdfGradient(0).x() - BlackScholesDerivatives.normalCdfGradient(-0.0).x());
    }

    @Test
    void farTailsHaveFiniteZeroDerivatives() {
        for (double x : new double[] {-1e300, -50, 50, 1e300, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}) {
            var g = BlackScholesDerivatives.normalCdfGradient(x);
            assertEquals(0.0, g.x(), "N'(" + x + ")");
            assertEquals(x < 0 ? 0.0 : 1.0, g.value(), "N(" + x + ")");
        }
    }

    /** Relative closeness with a message that names the greek. */
    static final class ScalarCheckGreeks {
        static void close(String greek, double expected, double actual, double tolerance) {
            double allowed = tolerance * Math.max(1, Math.abs(expected));
            assertTrue(Math.abs(expected - actual) <= allowed,
                    greek + ": expected " + expected + ", got " + actual + " (difference " + Math.abs(expected - actual) + ")");
        }
    }
}
