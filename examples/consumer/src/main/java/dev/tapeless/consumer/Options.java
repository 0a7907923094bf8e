package dev.tapeless.consumer;

import dev.tapeless.Differentiable;
import dev.tapeless.library.Normal;

/**
 * The Black–Scholes price of a call, on the library's normal distribution function: the generated
 * greeks call {@code NormalDerivatives.cdf} and {@code NormalDerivatives.cdfVjp}, which the
 * library's build generated from its custom derivative.
 */
public final class Options {
    private Options() {}

    @Differentiable(wrt = {"spot", "rate", "volatility", "expiry"})
    public static double callPrice(double spot, double strike, double rate, double volatility, double expiry) {
        double volSqrtT = volatility * Math.sqrt(expiry);
        double d1 = (Math.log(spot / strike) + (rate + 0.5 * volatility * volatility) * expiry) / volSqrtT;
        double d2 = d1 - volSqrtT;
        return spot * Normal.cdf(d1) - strike * Math.exp(-rate * expiry) * Normal.cdf(d2);
    }
}
