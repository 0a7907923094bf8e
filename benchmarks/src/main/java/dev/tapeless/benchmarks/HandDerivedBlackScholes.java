package dev.tapeless.benchmarks;

/**
 * The gradient of {@code BlackScholes.callPrice} derived by hand, as an expert writes it for speed:
 * the same algorithm (Hart's N with both of its branches computed, as the source does), but the
 * slope of N in forward mode (Horner's rule differentiated alongside the polynomial), the branch
 * not taken skipped with {@code if}, and a closed-form reverse sweep for the rest. A floor for
 * the generated code, which differentiates in reverse mode only and is straight-line.
 */
final class HandDerivedBlackScholes {
    private HandDerivedBlackScholes() {}

    record Greeks(double value, double spot, double rate, double volatility, double expiry) {}

    private static final double TAIL_START = 7.07106781186547;
    private static final double SQRT_2PI = 2.506628274631;

    static Greeks callPriceGradient(double spot, double strike, double rate, double volatility, double expiry) {
        // Forward sweep.
        double sqrtT = Math.sqrt(expiry);
        double volSqrtT = volatility * sqrtT;
        double drift = rate + 0.5 * volatility * volatility;
        double d1 = (Math.log(spot / strike) + drift * expiry) / volSqrtT;
        double d2 = d1 - volSqrtT;
        double discount = Math.exp(-rate * expiry);
        double discountedStrike = strike * discount;

        // N(d1) and its slope.
        double n1;
        double slope1;
        {
            double t = Math.min(d1 > 0 ? d1 : -d1, 39.0);
            double gauss = Math.exp(-0.5 * t * t);
            double p = 0.0352624965998911 * t + 0.700383064443688;
            double dp = 0.0352624965998911;
            dp = dp * t + p; p = p * t + 6.37396220353165;
            dp = dp * t + p; p = p * t + 33.912866078383;
            dp = dp * t + p; p = p * t + 112.079291497871;
            dp = dp * t + p; p = p * t + 221.213596169931;
            dp = dp * t + p; p = p * t + 220.206867912376;
            double q = 0.0883883476483184 * t + 1.75566716318264;
            double dq = 0.0883883476483184;
            dq = dq * t + q; q = q * t + 16.064177579207;
            dq = dq * t + q; q = q * t + 86.7807322029461;
            dq = dq * t + q; q = q * t + 296.564248779674;
            dq = dq * t + q; q = q * t + 637.333633378831;
            dq = dq * t + q; q = q * t + 793.826512519948;
            dq = dq * t + q; q = q * t + 440.413735824752;
            double central = gauss * p / q;
            double f1 = t + 0.65;
            double f2 = t + 4 / f1;
            double f3 = t + 3 / f2;
            double f4 = t + 2 / f3;
            double f5 = t + 1 / f4;
            double tail = gauss / f5 / SQRT_2PI;
            double lower;
            double dLower; // d lower / dt; N'(x) is -dLower on both sides of 0
            if (t < TAIL_START) {
                lower = central;
                dLower = central * (dp / p - dq / q - t);
            } else {
                lower = tail;
                double df2 = 1 - 4 / (f1 * f1);
                double df3 = 1 - 3 / (f2 * f2) * df2;
                double df4 = 1 - 2 / (f3 * f3) * df3;
                double df5 = 1 - 1 / (f4 * f4) * df4;
                dLower = tail * (-t - df5 / f5);
            }
            if (d1 > 39.0 || d1 < -39.0) dLower = 0;
            n1 = d1 > 0 ? 1 - lower : lower;
            slope1 = -dLower;
        }
        // N(d2) and its slope.
        double n2;
        double slope2;
        {
            double t = Math.min(d2 > 0 ? d2 : -d2, 39.0);
            double gauss = Math.exp(-0.5 * t * t);
            double p = 0.0352624965998911 * t + 0.700383064443688;
            double dp = 0.0352624965998911;
            dp = dp * t + p; p = p * t + 6.37396220353165;
            dp = dp * t + p; p = p * t + 33.912866078383;
            dp = dp * t + p; p = p * t + 112.079291497871;
            dp = dp * t + p; p = p * t + 221.213596169931;
            dp = dp * t + p; p = p * t + 220.206867912376;
            double q = 0.0883883476483184 * t + 1.75566716318264;
            double dq = 0.0883883476483184;
            dq = dq * t + q; q = q * t + 16.064177579207;
            dq = dq * t + q; q = q * t + 86.7807322029461;
            dq = dq * t + q; q = q * t + 296.564248779674;
            dq = dq * t + q; q = q * t + 637.333633378831;
            dq = dq * t + q; q = q * t + 793.826512519948;
            dq = dq * t + q; q = q * t + 440.413735824752;
            double central = gauss * p / q;
            double f1 = t + 0.65;
            double f2 = t + 4 / f1;
            double f3 = t + 3 / f2;
            double f4 = t + 2 / f3;
            double f5 = t + 1 / f4;
            double tail = gauss / f5 / SQRT_2PI;
            double lower;
            double dLower;
            if (t < TAIL_START) {
                lower = central;
                dLower = central * (dp / p - dq / q - t);
            } else {
                lower = tail;
                double df2 = 1 - 4 / (f1 * f1);
                double df3 = 1 - 3 / (f2 * f2) * df2;
                double df4 = 1 - 2 / (f3 * f3) * df3;
                double df5 = 1 - 1 / (f4 * f4) * df4;
                dLower = tail * (-t - df5 / f5);
            }
            if (d2 > 39.0 || d2 < -39.0) dLower = 0;
            n2 = d2 > 0 ? 1 - lower : lower;
            slope2 = -dLower;
        }
        double value = spot * n1 - discountedStrike * n2;

        // Reverse sweep, from the price back to the inputs.
        double dd1 = spot * slope1;
        double dd2 = -discountedStrike * slope2;
        dd1 += dd2;                                   // d2 = d1 - volSqrtT
        double dVolSqrtT = -dd2 - dd1 * d1 / volSqrtT; // d1 = numerator / volSqrtT
        double dNumerator = dd1 / volSqrtT;
        double dDrift = dNumerator * expiry;
        double dSpot = n1 + dNumerator / spot;         // log(spot / strike)
        double dDiscount = -n2 * strike;
        double dRate = dDrift - dDiscount * discount * expiry;
        double dVolatility = dDrift * volatility + dVolSqrtT * sqrtT;
        double dExpiry = dNumerator * drift - dDiscount * discount * rate + dVolSqrtT * volatility / (2 * sqrtT);
        return new Greeks(value, dSpot, dRate, dVolatility, dExpiry);
    }
}
