package dev.tapeless.benchmarks;

/**
 * The adjoint of {@code BlackScholes.callPrice} written by hand: a forward sweep that computes
 * the price as the source does (Hart's N inlined for d1 and d2, both of its branches computed)
 * and keeps its intermediates, then a reverse sweep statement by statement, the way adjoint code
 * is written by hand — accumulating with {@code +=}, and skipping the adjoint of the branch not
 * taken with {@code if}, which straight-line generated code cannot.
 */
final class HandWrittenBlackScholes {
    private HandWrittenBlackScholes() {}

    record Greeks(double value, double spot, double rate, double volatility, double expiry) {}

    private static final double TAIL_START = 7.07106781186547;
    private static final double SQRT_2PI = 2.506628274631;

    static Greeks callPriceGradient(double spot, double strike, double rate, double volatility, double expiry) {
        // Forward sweep.
        double sqrtT = Math.sqrt(expiry);
        double volSqrtT = volatility * sqrtT;
        double moneyness = spot / strike;
        double drift = rate + 0.5 * volatility * volatility;
        double numerator = Math.log(moneyness) + drift * expiry;
        double d1 = numerator / volSqrtT;
        double d2 = d1 - volSqrtT;
        double discount = Math.exp(-rate * expiry);
        double discountedStrike = strike * discount;
        // N(d1), as BlackScholes.normalCdf computes it, keeping what its adjoint reads.
        boolean positive1 = d1 > 0;
        double abs1 = positive1 ? d1 : -d1;
        double t1 = Math.min(abs1, 39.0);
        double gauss1 = Math.exp(-0.5 * t1 * t1);
        double p10 = 0.0352624965998911 * t1 + 0.700383064443688;
        double p11 = p10 * t1 + 6.37396220353165;
        double p12 = p11 * t1 + 33.912866078383;
        double p13 = p12 * t1 + 112.079291497871;
        double p14 = p13 * t1 + 221.213596169931;
        double p15 = p14 * t1 + 220.206867912376;
        double q10 = 0.0883883476483184 * t1 + 1.75566716318264;
        double q11 = q10 * t1 + 16.064177579207;
        double q12 = q11 * t1 + 86.7807322029461;
        double q13 = q12 * t1 + 296.564248779674;
        double q14 = q13 * t1 + 637.333633378831;
        double q15 = q14 * t1 + 793.826512519948;
        double q16 = q15 * t1 + 440.413735824752;
        double central1 = gauss1 * p15 / q16;
        double f11 = t1 + 0.65;
        double r12 = 4 / f11;
        double f12 = t1 + r12;
        double r13 = 3 / f12;
        double f13 = t1 + r13;
        double r14 = 2 / f13;
        double f14 = t1 + r14;
        double r15 = 1 / f14;
        double f15 = t1 + r15;
        double gaussOverF1 = gauss1 / f15;
        double tail1 = gaussOverF1 / SQRT_2PI;
        boolean inner1 = t1 < TAIL_START;
        double lower1 = inner1 ? central1 : tail1;
        double n1 = positive1 ? 1 - lower1 : lower1;
        // N(d2), as BlackScholes.normalCdf computes it, keeping what its adjoint reads.
        boolean positive2 = d2 > 0;
        double abs2 = positive2 ? d2 : -d2;
        double t2 = Math.min(abs2, 39.0);
        double gauss2 = Math.exp(-0.5 * t2 * t2);
        double p20 = 0.0352624965998911 * t2 + 0.700383064443688;
        double p21 = p20 * t2 + 6.37396220353165;
        double p22 = p21 * t2 + 33.912866078383;
        double p23 = p22 * t2 + 112.079291497871;
        double p24 = p23 * t2 + 221.213596169931;
        double p25 = p24 * t2 + 220.206867912376;
        double q20 = 0.0883883476483184 * t2 + 1.75566716318264;
        double q21 = q20 * t2 + 16.064177579207;
        double q22 = q21 * t2 + 86.7807322029461;
        double q23 = q22 * t2 + 296.564248779674;
        double q24 = q23 * t2 + 637.333633378831;
        double q25 = q24 * t2 + 793.826512519948;
        double q26 = q25 * t2 + 440.413735824752;
        double central2 = gauss2 * p25 / q26;
        double f21 = t2 + 0.65;
        double r22 = 4 / f21;
        double f22 = t2 + r22;
        double r23 = 3 / f22;
        double f23 = t2 + r23;
        double r24 = 2 / f23;
        double f24 = t2 + r24;
        double r25 = 1 / f24;
        double f25 = t2 + r25;
        double gaussOverF2 = gauss2 / f25;
        double tail2 = gaussOverF2 / SQRT_2PI;
        boolean inner2 = t2 < TAIL_START;
        double lower2 = inner2 ? central2 : tail2;
        double n2 = positive2 ? 1 - lower2 : lower2;
        double value = spot * n1 - discountedStrike * n2;

        // Reverse sweep.
        double dN1 = spot;
        double dN2 = -discountedStrike;
        double dSpot = n1;
        double dDiscountedStrike = -n2;
        // Adjoint of N(d2): from dN2 to dd2.
        double dLower2 = positive2 ? -dN2 : dN2;
        double dt2 = 0;
        double dGauss2;
        if (inner2) {
            double r = dLower2 / q26;              // central = gauss * p / q
            dGauss2 = r * p25;
            double dp = r * gauss2;
            double dq = -r * central2;
            dt2 += dq * q25;
            dq *= t2;
            dt2 += dq * q24;
            dq *= t2;
            dt2 += dq * q23;
            dq *= t2;
            dt2 += dq * q22;
            dq *= t2;
            dt2 += dq * q21;
            dq *= t2;
            dt2 += dq * q20;
            dq *= t2;
            dt2 += dq * 0.0883883476483184;
            dt2 += dp * p24;
            dp *= t2;
            dt2 += dp * p23;
            dp *= t2;
            dt2 += dp * p22;
            dp *= t2;
            dt2 += dp * p21;
            dp *= t2;
            dt2 += dp * p20;
            dp *= t2;
            dt2 += dp * 0.0352624965998911;
        } else {
            double r = dLower2 / SQRT_2PI / f25;   // tail = gauss / f / sqrt(2 pi)
            dGauss2 = r;
            double df = -r * gaussOverF2;
            dt2 += df;                             // f5 = t + 1/f4
            df = -df * r25 / f24;
            dt2 += df;                             // f4 = t + 2/f3
            df = -df * r24 / f23;
            dt2 += df;                             // f3 = t + 3/f2
            df = -df * r23 / f22;
            dt2 += df;                             // f2 = t + 4/f1
            df = -df * r22 / f21;
            dt2 += df;                             // f1 = t + 0.65
        }
        dt2 -= dGauss2 * gauss2 * t2;         // gauss = exp(-t²/2)
        double dAbs2 = 39.0 >= abs2 ? dt2 : 0;  // min: ties to the first operand
        double dd2 = positive2 ? dAbs2 : -dAbs2;
        // Adjoint of N(d1): from dN1 to dd1.
        double dLower1 = positive1 ? -dN1 : dN1;
        double dt1 = 0;
        double dGauss1;
        if (inner1) {
            double r = dLower1 / q16;              // central = gauss * p / q
            dGauss1 = r * p15;
            double dp = r * gauss1;
            double dq = -r * central1;
            dt1 += dq * q15;
            dq *= t1;
            dt1 += dq * q14;
            dq *= t1;
            dt1 += dq * q13;
            dq *= t1;
            dt1 += dq * q12;
            dq *= t1;
            dt1 += dq * q11;
            dq *= t1;
            dt1 += dq * q10;
            dq *= t1;
            dt1 += dq * 0.0883883476483184;
            dt1 += dp * p14;
            dp *= t1;
            dt1 += dp * p13;
            dp *= t1;
            dt1 += dp * p12;
            dp *= t1;
            dt1 += dp * p11;
            dp *= t1;
            dt1 += dp * p10;
            dp *= t1;
            dt1 += dp * 0.0352624965998911;
        } else {
            double r = dLower1 / SQRT_2PI / f15;   // tail = gauss / f / sqrt(2 pi)
            dGauss1 = r;
            double df = -r * gaussOverF1;
            dt1 += df;                             // f5 = t + 1/f4
            df = -df * r15 / f14;
            dt1 += df;                             // f4 = t + 2/f3
            df = -df * r14 / f13;
            dt1 += df;                             // f3 = t + 3/f2
            df = -df * r13 / f12;
            dt1 += df;                             // f2 = t + 4/f1
            df = -df * r12 / f11;
            dt1 += df;                             // f1 = t + 0.65
        }
        dt1 -= dGauss1 * gauss1 * t1;         // gauss = exp(-t²/2)
        double dAbs1 = 39.0 >= abs1 ? dt1 : 0;  // min: ties to the first operand
        double dd1 = positive1 ? dAbs1 : -dAbs1;
        dd1 += dd2;                                     // d2 = d1 - volSqrtT
        double dVolSqrtT = -dd2;
        double dNumerator = dd1 / volSqrtT;             // d1 = numerator / volSqrtT
        dVolSqrtT -= dNumerator * d1;
        dSpot += dNumerator / moneyness / strike;       // log(spot / strike)
        double dDrift = dNumerator * expiry;
        double dExpiry = dNumerator * drift;
        double dRate = dDrift;                          // drift = rate + vol²/2
        double dVolatility = dDrift * volatility;
        dVolatility += dVolSqrtT * sqrtT;               // volSqrtT = vol sqrt(T)
        dExpiry += dVolSqrtT * volatility / (2 * sqrtT);
        double dExponent = dDiscountedStrike * strike * discount; // discountedStrike = strike exp(-rate T)
        dRate -= dExponent * expiry;
        dExpiry -= dExponent * rate;
        return new Greeks(value, dSpot, dRate, dVolatility, dExpiry);
    }
}
