package dev.tapeless.examples.ops;

import dev.tapeless.Differentiable;
import dev.tapeless.runtime.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every {@code Variable} op, one {@code @Differentiable} method each, and its weighted sum
 * {@code op(...).mul(w).sum()} (suffix {@code W}) so that every element of the result matters to
 * the loss. The op methods themselves are checked through their vjp.
 */
public final class Ops {
    private Ops() {}

    // ---- binary, two Variables (broadcasting) ----

    @Differentiable public static Variable add(Variable a, Variable b) { return a.add(b); }
    @Differentiable public static Variable sub(Variable a, Variable b) { return a.sub(b); }
    @Differentiable public static Variable mul(Variable a, Variable b) { return a.mul(b); }
    @Differentiable public static Variable div(Variable a, Variable b) { return a.div(b); }
    @Differentiable public static Variable rsub(Variable a, Variable b) { return a.rsub(b); }
    @Differentiable public static Variable rdiv(Variable a, Variable b) { return a.rdiv(b); }

    @Differentiable public static Variable addW(Variable a, Variable b, INDArray w) { return add(a, b).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable subW(Variable a, Variable b, INDArray w) { return sub(a, b).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable mulW(Variable a, Variable b, INDArray w) { return mul(a, b).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable divW(Variable a, Variable b, INDArray w) { return div(a, b).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable rsubW(Variable a, Variable b, INDArray w) { return rsub(a, b).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable rdivW(Variable a, Variable b, INDArray w) { return rdiv(a, b).mul(Variable.constant(w)).sum(); }

    // ---- binary, a Variable and a double: a literal, or a differentiated parameter ----

    @Differentiable public static Variable addC(Variable a) { return a.add(1.5); }
    @Differentiable public static Variable subC(Variable a) { return a.sub(1.5); }
    @Differentiable public static Variable mulC(Variable a) { return a.mul(-2.5); }
    @Differentiable public static Variable divC(Variable a) { return a.div(4.0); }
    @Differentiable public static Variable rsubC(Variable a) { return a.rsub(1.5); }
    @Differentiable public static Variable rdivC(Variable a) { return a.rdiv(3.0); }

    @Differentiable public static Variable addCW(Variable a, INDArray w) { return addC(a).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable subCW(Variable a, INDArray w) { return subC(a).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable mulCW(Variable a, INDArray w) { return mulC(a).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable divCW(Variable a, INDArray w) { return divC(a).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable rsubCW(Variable a, INDArray w) { return rsubC(a).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable rdivCW(Variable a, INDArray w) { return rdivC(a).mul(Variable.constant(w)).sum(); }

    @Differentiable public static Variable addSW(Variable a, double s, INDArray w) { return a.add(s).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable subSW(Variable a, double s, INDArray w) { return a.sub(s).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable mulSW(Variable a, double s, INDArray w) { return a.mul(s).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable divSW(Variable a, double s, INDArray w) { return a.div(s).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable rsubSW(Variable a, double s, INDArray w) { return a.rsub(s).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable rdivSW(Variable a, double s, INDArray w) { return a.rdiv(s).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable powSW(Variable a, double s, INDArray w) { return a.pow(s).mul(Variable.constant(w)).sum(); }

    // ---- unary ----

    @Differentiable public static Variable neg(Variable x) { return x.neg(); }
    @Differentiable public static Variable exp(Variable x) { return x.exp(); }
    @Differentiable public static Variable log(Variable x) { return x.log(); }
    @Differentiable public static Variable sqrt(Variable x) { return x.sqrt(); }
    @Differentiable public static Variable abs(Variable x) { return x.abs(); }
    @Differentiable public static Variable sin(Variable x) { return x.sin(); }
    @Differentiable public static Variable cos(Variable x) { return x.cos(); }
    @Differentiable public static Variable tanh(Variable x) { return x.tanh(); }
    @Differentiable public static Variable sigmoid(Variable x) { return x.sigmoid(); }
    @Differentiable public static Variable relu(Variable x) { return x.relu(); }
    @Differentiable public static Variable pow2(Variable x) { return x.pow(2.0); }
    @Differentiable public static Variable pow3(Variable x) { return x.pow(3.0); }
    @Differentiable public static Variable powHalf(Variable x) { return x.pow(0.5); }
    @Differentiable public static Variable powMinus1(Variable x) { return x.pow(-1.0); }
    @Differentiable public static Variable pow1(Variable x) { return x.pow(1.0); }
    @Differentiable public static Variable pow0(Variable x) { return x.pow(0.0); }

    @Differentiable public static Variable negW(Variable x, INDArray w) { return neg(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable expW(Variable x, INDArray w) { return exp(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable logW(Variable x, INDArray w) { return log(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sqrtW(Variable x, INDArray w) { return sqrt(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable absW(Variable x, INDArray w) { return abs(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sinW(Variable x, INDArray w) { return sin(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable cosW(Variable x, INDArray w) { return cos(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable tanhW(Variable x, INDArray w) { return tanh(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sigmoidW(Variable x, INDArray w) { return sigmoid(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable reluW(Variable x, INDArray w) { return relu(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable pow2W(Variable x, INDArray w) { return pow2(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable pow3W(Variable x, INDArray w) { return pow3(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable powHalfW(Variable x, INDArray w) { return powHalf(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable powMinus1W(Variable x, INDArray w) { return powMinus1(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable pow1W(Variable x, INDArray w) { return pow1(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable pow0W(Variable x, INDArray w) { return pow0(x).mul(Variable.constant(w)).sum(); }

    // ---- reductions ----

    @Differentiable public static Variable sumAll(Variable x) { return x.sum(); }
    @Differentiable public static Variable sumAllKeep(Variable x) { return x.sum(true); }
    @Differentiable public static Variable sum0(Variable x) { return x.sum(0); }
    @Differentiable public static Variable sum1(Variable x) { return x.sum(1); }
    @Differentiable public static Variable sumLast(Variable x) { return x.sum(-1); }
    @Differentiable public static Variable sum01(Variable x) { return x.sum(0, 1); }
    @Differentiable public static Variable sum0Last(Variable x) { return x.sum(0, -1); }
    @Differentiable public static Variable sum0Keep(Variable x) { return x.sum(true, 0); }
    @Differentiable public static Variable sum1Keep(Variable x) { return x.sum(true, 1); }
    @Differentiable public static Variable sumLastKeep(Variable x) { return x.sum(true, -1); }
    @Differentiable public static Variable meanAll(Variable x) { return x.mean(); }
    @Differentiable public static Variable meanAllKeep(Variable x) { return x.mean(true); }
    @Differentiable public static Variable mean0(Variable x) { return x.mean(0); }
    @Differentiable public static Variable mean1(Variable x) { return x.mean(1); }
    @Differentiable public static Variable meanLast(Variable x) { return x.mean(-1); }
    @Differentiable public static Variable mean01(Variable x) { return x.mean(0, 1); }
    @Differentiable public static Variable mean0Last(Variable x) { return x.mean(0, -1); }
    @Differentiable public static Variable mean0Keep(Variable x) { return x.mean(true, 0); }
    @Differentiable public static Variable mean1Keep(Variable x) { return x.mean(true, 1); }
    @Differentiable public static Variable meanLastKeep(Variable x) { return x.mean(true, -1); }
    /** Two axes on rank 3 and more, one axis twice on rank 2: an error there, at run time. */
    @Differentiable public static Variable sum0Minus2(Variable x) { return x.sum(0, -2); }
    @Differentiable public static Variable meanMinus1And1Keep(Variable x) { return x.mean(true, -1, 1).sum(); }

    @Differentiable public static Variable sumAllW(Variable x, INDArray w) { return sumAll(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sumAllKeepW(Variable x, INDArray w) { return sumAllKeep(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sum0W(Variable x, INDArray w) { return sum0(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sum1W(Variable x, INDArray w) { return sum1(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sumLastW(Variable x, INDArray w) { return sumLast(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sum01W(Variable x, INDArray w) { return sum01(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sum0LastW(Variable x, INDArray w) { return sum0Last(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sum0KeepW(Variable x, INDArray w) { return sum0Keep(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sum1KeepW(Variable x, INDArray w) { return sum1Keep(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable sumLastKeepW(Variable x, INDArray w) { return sumLastKeep(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable meanAllW(Variable x, INDArray w) { return meanAll(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable meanAllKeepW(Variable x, INDArray w) { return meanAllKeep(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable mean0W(Variable x, INDArray w) { return mean0(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable mean1W(Variable x, INDArray w) { return mean1(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable meanLastW(Variable x, INDArray w) { return meanLast(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable mean01W(Variable x, INDArray w) { return mean01(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable mean0LastW(Variable x, INDArray w) { return mean0Last(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable mean0KeepW(Variable x, INDArray w) { return mean0Keep(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable mean1KeepW(Variable x, INDArray w) { return mean1Keep(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable meanLastKeepW(Variable x, INDArray w) { return meanLastKeep(x).mul(Variable.constant(w)).sum(); }

    // ---- shapes ----

    @Differentiable public static Variable mmul(Variable a, Variable b) { return a.mmul(b); }
    @Differentiable public static Variable transpose(Variable x) { return x.transpose(); }
    @Differentiable public static Variable reshape26(Variable x) { return x.reshape(2, 6); }
    @Differentiable public static Variable reshapeInfer3(Variable x) { return x.reshape(-1, 3); }
    @Differentiable public static Variable reshapeFlat(Variable x) { return x.reshape(-1); }
    @Differentiable public static Variable expand34(Variable x) { return x.expand(3, 4); }
    @Differentiable public static Variable expand234(Variable x) { return x.expand(2, 3, 4); }

    @Differentiable public static Variable mmulW(Variable a, Variable b, INDArray w) { return mmul(a, b).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable transposeW(Variable x, INDArray w) { return transpose(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable reshape26W(Variable x, INDArray w) { return reshape26(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable reshapeInfer3W(Variable x, INDArray w) { return reshapeInfer3(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable reshapeFlatW(Variable x, INDArray w) { return reshapeFlat(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable expand34W(Variable x, INDArray w) { return expand34(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable expand234W(Variable x, INDArray w) { return expand234(x).mul(Variable.constant(w)).sum(); }

    // ---- softmax ----

    @Differentiable public static Variable softmax0(Variable x) { return x.softmax(0); }
    @Differentiable public static Variable softmax1(Variable x) { return x.softmax(1); }
    @Differentiable public static Variable softmaxLast(Variable x) { return x.softmax(-1); }
    @Differentiable public static Variable logSoftmax0(Variable x) { return x.logSoftmax(0); }
    @Differentiable public static Variable logSoftmax1(Variable x) { return x.logSoftmax(1); }
    @Differentiable public static Variable logSoftmaxLast(Variable x) { return x.logSoftmax(-1); }

    @Differentiable public static Variable softmax0W(Variable x, INDArray w) { return softmax0(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable softmax1W(Variable x, INDArray w) { return softmax1(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable softmaxLastW(Variable x, INDArray w) { return softmaxLast(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable logSoftmax0W(Variable x, INDArray w) { return logSoftmax0(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable logSoftmax1W(Variable x, INDArray w) { return logSoftmax1(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable logSoftmaxLastW(Variable x, INDArray w) { return logSoftmaxLast(x).mul(Variable.constant(w)).sum(); }

    // ---- the plain sum of each op: its adjoint is the broadcast number 1 ----

    @Differentiable public static Variable addSum(Variable a, Variable b) { return add(a, b).sum(); }
    @Differentiable public static Variable subSum(Variable a, Variable b) { return sub(a, b).sum(); }
    @Differentiable public static Variable mulSum(Variable a, Variable b) { return mul(a, b).sum(); }
    @Differentiable public static Variable divSum(Variable a, Variable b) { return div(a, b).sum(); }
    @Differentiable public static Variable rsubSum(Variable a, Variable b) { return rsub(a, b).sum(); }
    @Differentiable public static Variable rdivSum(Variable a, Variable b) { return rdiv(a, b).sum(); }
    @Differentiable public static Variable addCSum(Variable a) { return addC(a).sum(); }
    @Differentiable public static Variable subCSum(Variable a) { return subC(a).sum(); }
    @Differentiable public static Variable mulCSum(Variable a) { return mulC(a).sum(); }
    @Differentiable public static Variable divCSum(Variable a) { return divC(a).sum(); }
    @Differentiable public static Variable rsubCSum(Variable a) { return rsubC(a).sum(); }
    @Differentiable public static Variable rdivCSum(Variable a) { return rdivC(a).sum(); }
    @Differentiable public static Variable negSum(Variable x) { return neg(x).sum(); }
    @Differentiable public static Variable expSum(Variable x) { return exp(x).sum(); }
    @Differentiable public static Variable logSum(Variable x) { return log(x).sum(); }
    @Differentiable public static Variable sqrtSum(Variable x) { return sqrt(x).sum(); }
    @Differentiable public static Variable absSum(Variable x) { return abs(x).sum(); }
    @Differentiable public static Variable sinSum(Variable x) { return sin(x).sum(); }
    @Differentiable public static Variable cosSum(Variable x) { return cos(x).sum(); }
    @Differentiable public static Variable tanhSum(Variable x) { return tanh(x).sum(); }
    @Differentiable public static Variable sigmoidSum(Variable x) { return sigmoid(x).sum(); }
    @Differentiable public static Variable reluSum(Variable x) { return relu(x).sum(); }
    @Differentiable public static Variable pow2Sum(Variable x) { return pow2(x).sum(); }
    @Differentiable public static Variable pow3Sum(Variable x) { return pow3(x).sum(); }
    @Differentiable public static Variable powHalfSum(Variable x) { return powHalf(x).sum(); }
    @Differentiable public static Variable powMinus1Sum(Variable x) { return powMinus1(x).sum(); }
    @Differentiable public static Variable pow1Sum(Variable x) { return pow1(x).sum(); }
    @Differentiable public static Variable pow0Sum(Variable x) { return pow0(x).sum(); }
    @Differentiable public static Variable sumAllSum(Variable x) { return sumAll(x).sum(); }
    @Differentiable public static Variable sumAllKeepSum(Variable x) { return sumAllKeep(x).sum(); }
    @Differentiable public static Variable sum0Sum(Variable x) { return sum0(x).sum(); }
    @Differentiable public static Variable sum1Sum(Variable x) { return sum1(x).sum(); }
    @Differentiable public static Variable sumLastSum(Variable x) { return sumLast(x).sum(); }
    @Differentiable public static Variable sum01Sum(Variable x) { return sum01(x).sum(); }
    @Differentiable public static Variable sum0LastSum(Variable x) { return sum0Last(x).sum(); }
    @Differentiable public static Variable sum0KeepSum(Variable x) { return sum0Keep(x).sum(); }
    @Differentiable public static Variable sum1KeepSum(Variable x) { return sum1Keep(x).sum(); }
    @Differentiable public static Variable sumLastKeepSum(Variable x) { return sumLastKeep(x).sum(); }
    @Differentiable public static Variable meanAllSum(Variable x) { return meanAll(x).sum(); }
    @Differentiable public static Variable meanAllKeepSum(Variable x) { return meanAllKeep(x).sum(); }
    @Differentiable public static Variable mean0Sum(Variable x) { return mean0(x).sum(); }
    @Differentiable public static Variable mean1Sum(Variable x) { return mean1(x).sum(); }
    @Differentiable public static Variable meanLastSum(Variable x) { return meanLast(x).sum(); }
    @Differentiable public static Variable mean01Sum(Variable x) { return mean01(x).sum(); }
    @Differentiable public static Variable mean0LastSum(Variable x) { return mean0Last(x).sum(); }
    @Differentiable public static Variable mean0KeepSum(Variable x) { return mean0Keep(x).sum(); }
    @Differentiable public static Variable mean1KeepSum(Variable x) { return mean1Keep(x).sum(); }
    @Differentiable public static Variable meanLastKeepSum(Variable x) { return meanLastKeep(x).sum(); }
    @Differentiable public static Variable mmulSum(Variable a, Variable b) { return mmul(a, b).sum(); }
    @Differentiable public static Variable transposeSum(Variable x) { return transpose(x).sum(); }
    @Differentiable public static Variable reshape26Sum(Variable x) { return reshape26(x).sum(); }
    @Differentiable public static Variable reshapeToScalar(Variable x) { return x.reshape().mul(3.0).exp(); }
    @Differentiable public static Variable reshapeInfer3Sum(Variable x) { return reshapeInfer3(x).sum(); }
    @Differentiable public static Variable reshapeFlatSum(Variable x) { return reshapeFlat(x).sum(); }
    @Differentiable public static Variable expand34Sum(Variable x) { return expand34(x).sum(); }
    @Differentiable public static Variable expand234Sum(Variable x) { return expand234(x).sum(); }
    @Differentiable public static Variable softmax0Sum(Variable x) { return softmax0(x).sum(); }
    @Differentiable public static Variable softmax1Sum(Variable x) { return softmax1(x).sum(); }
    @Differentiable public static Variable softmaxLastSum(Variable x) { return softmaxLast(x).sum(); }
    @Differentiable public static Variable logSoftmax0Sum(Variable x) { return logSoftmax0(x).sum(); }
    @Differentiable public static Variable logSoftmax1Sum(Variable x) { return logSoftmax1(x).sum(); }
    @Differentiable public static Variable logSoftmaxLastSum(Variable x) { return logSoftmaxLast(x).sum(); }

    // ---- gradients that could come out as one buffer (and addSum above: a.add(b).sum()) ----

    /** The gradient of the sum of a reshaped x and of x itself. */
    @Differentiable public static Variable reshapeSum(Variable a, Variable b) { return a.reshape(-1).add(b.reshape(-1)).sum(); }
    /** {@code mul(1.0)} is {@code a} itself: the forward result must still not be the argument. */
    @Differentiable public static Variable timesOne(Variable a) { return a.mul(1.0); }

    // ---- parameters: used twice, unused, or not differentiated ----

    @Differentiable public static Variable square(Variable x) { return x.mul(x).sum(); }
    @Differentiable public static Variable twiceInOneAdd(Variable x, INDArray w) { return x.add(x).mul(Variable.constant(w)).sum(); }
    @Differentiable public static Variable ignoresB(Variable a, Variable b) { return a.exp().sum(); }
    @Differentiable(wrt = "a") public static Variable onlyA(Variable a, Variable b) { return a.mul(b).sum(); }
}
