package dev.tapeless.benchmarks;

import dev.tapeless.examples.BlackScholes;
import dev.tapeless.examples.BlackScholesDerivatives;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The Black–Scholes call price, its generated gradient (price and four greeks), the same
 * gradient as an adjoint written by hand, and as an expert's hand-derived code. Inputs live in
 * non-final fields so the JIT cannot fold them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BlackScholesBenchmark {
    double spot = 100;
    double strike = 105;
    double rate = 0.03;
    double volatility = 0.25;
    double expiry = 0.75;

    /** Refuses to measure a baseline that computes something else. */
    @Setup
    public void checkBothGradientsAgree() {
        var g = BlackScholesDerivatives.callPriceGradient(spot, strike, rate, volatility, expiry);
        var h = HandWrittenBlackScholes.callPriceGradient(spot, strike, rate, volatility, expiry);
        Agreement.require("value", g.value(), h.value());
        Agreement.require("delta", g.spot(), h.spot());
        Agreement.require("rho", g.rate(), h.rate());
        Agreement.require("vega", g.volatility(), h.volatility());
        Agreement.require("-theta", g.expiry(), h.expiry());
        var d = HandDerivedBlackScholes.callPriceGradient(spot, strike, rate, volatility, expiry);
        Agreement.require("value", g.value(), d.value());
        Agreement.require("delta", g.spot(), d.spot());
        Agreement.require("rho", g.rate(), d.rate());
        Agreement.require("vega", g.volatility(), d.volatility());
        Agreement.require("-theta", g.expiry(), d.expiry());
    }

    @Benchmark
    public double function() {
        return BlackScholes.callPrice(spot, strike, rate, volatility, expiry);
    }

    @Benchmark
    public BlackScholesDerivatives.CallPriceGradient generatedGradient() {
        return BlackScholesDerivatives.callPriceGradient(spot, strike, rate, volatility, expiry);
    }

    @Benchmark
    public HandWrittenBlackScholes.Greeks handWrittenGradient() {
        return HandWrittenBlackScholes.callPriceGradient(spot, strike, rate, volatility, expiry);
    }

    @Benchmark
    public HandDerivedBlackScholes.Greeks handDerivedGradient() {
        return HandDerivedBlackScholes.callPriceGradient(spot, strike, rate, volatility, expiry);
    }
}
