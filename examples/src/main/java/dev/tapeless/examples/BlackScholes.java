package dev.tapeless.examples;

import dev.tapeless.Differentiable;

/**
 * The Black–Scholes price of a European call, in plain Java over {@code double}s. Its generated
 * gradient ({@code BlackScholesDerivatives.callPriceGradient}) is the option's greeks: delta
 * ({@code spot()}), vega ({@code volatility()}), rho ({@code rate()}) and minus theta
 * ({@code expiry()}: the price rises with time to expiry, theta is its fall as time passes).
 */
public final class BlackScholes {
    private BlackScholes() {}

    /**
     * The price of a call struck at {@code strike}, expiring in {@code expiry} years, on an asset
     * at {@code spot} with continuous rate {@code rate} and volatility {@code volatility}.
     */
    @Differentiable(wrt = {"spot", "rate", "volatility", "expiry"})
    public static double callPrice(double spot, double strike, double rate, double volatility, double expiry) {
        double volSqrtT = volatility * Math.sqrt(expiry);
        double d1 = (Math.log(spot / strike) + (rate + 0.5 * volatility * volatility) * expiry) / volSqrtT;
        double d2 = d1 - volSqrtT;
        double discountedStrike = strike * Math.exp(-rate * expiry);
        return spot * normalCdf(d1) - discountedStrike * normalCdf(d2);
    }

    /**
     * The standard normal distribution function N(x), within 1e-16 of it everywhere: Hart's rational
     * approximation (J. F. Hart, Computer Approximations, 1968; in the form given by G. West,
     * "Better approximations to cumulative normal functions", 2005) for {@code |x| < 7.07}, a
     * continued fraction beyond.
     *
     * <p>Written for differentiation: both operands of {@code ?:} are computed, and only the one
     * taken is differentiated (the generated reverse pass skips the other); the argument is still
     * clamped to where both are finite, so that every forward value is. {@code |x|} is written as
     * a conditional rather than {@code Math.abs}, whose derivative at 0 is 0: the branch taken at
     * 0 carries the slope, so the derivative there is N'(0).
     */
    @Differentiable
    public static double normalCdf(double x) {
        double t = x > 0 ? x : -x;
        t = Math.min(t, 39.0); // from 39 on exp(-t²/2) underflows to 0, and so does N(-t)
        double gauss = Math.exp(-0.5 * t * t);

        double p = 0.0352624965998911 * t + 0.700383064443688;
        p = p * t + 6.37396220353165;
        p = p * t + 33.912866078383;
        p = p * t + 112.079291497871;
        p = p * t + 221.213596169931;
        p = p * t + 220.206867912376;
        double q = 0.0883883476483184 * t + 1.75566716318264;
        q = q * t + 16.064177579207;
        q = q * t + 86.7807322029461;
        q = q * t + 296.564248779674;
        q = q * t + 637.333633378831;
        q = q * t + 793.826512519948;
        q = q * t + 440.413735824752;
        double central = gauss * p / q;

        double f = t + 0.65;
        f = t + 4 / f;
        f = t + 3 / f;
        f = t + 2 / f;
        f = t + 1 / f;
        double tail = gauss / f / 2.506628274631;

        double lower = t < 7.07106781186547 ? central : tail; // N(-|x|)
        return x > 0 ? 1 - lower : lower;
    }
}
