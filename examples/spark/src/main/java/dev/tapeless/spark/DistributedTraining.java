package dev.tapeless.spark;

import dev.tapeless.examples.Digits;
import dev.tapeless.examples.Main;
import dev.tapeless.examples.MlpDerivatives;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Data-parallel minibatch SGD for the digits perceptron ({@code dev.tapeless.examples.Mlp}), the
 * way Spark MLlib's optimizers train: each step broadcasts the weights, every partition computes
 * the generated gradient ({@code MlpDerivatives.lossGradient}, into the arrays of its last one) on
 * its share of the minibatch, {@code treeAggregate} sums the shares weighted by their sizes, and
 * the driver divides by the minibatch's size and updates the weights. The minibatches are those
 * one machine would draw from the same random generator, so the two train alike.
 */
public final class DistributedTraining {
    private DistributedTraining() {}

    /** The weights as executors receive them, by broadcast. */
    record Weights(INDArray w1, INDArray b1, INDArray w2, INDArray b2) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Each executor thread's last gradient: the next one is written into its arrays. */
    private static final ThreadLocal<MlpDerivatives.LossGradient> LAST = new ThreadLocal<>();

    /**
     * The images and labels of {@code data} as an RDD of {@code partitions} partitions, each example
     * with its index in {@code data}, checked on the driver first.
     *
     * @throws IllegalArgumentException for a label that is not a digit, or no examples
     */
    public static JavaRDD<Example> examples(JavaSparkContext sc, Digits data, int partitions) {
        if (data.size() == 0) throw new IllegalArgumentException("no examples to train on");
        if (partitions < 1) throw new IllegalArgumentException(partitions + " partitions; there must be at least one");
        double[][] rows = data.images().toDoubleMatrix();
        List<Example> examples = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            Example e = new Example(i, rows[i], data.labels()[i]);
            e.check();
            examples.add(e);
        }
        return sc.parallelize(examples, partitions);
    }

    /**
     * One {@link Shard} per partition (empty partitions too), cached: built once, reused every step.
     *
     * @throws IllegalArgumentException if two examples have one index (in one partition or two):
     *                                  a minibatch would count one of them twice
     */
    public static JavaRDD<Shard> shards(JavaRDD<Example> examples) {
        List<Integer> twice = examples.mapToPair(e -> new Tuple2<>(e.index(), 1)).reduceByKey(Integer::sum)
                .filter(t -> t._2() > 1).keys().take(1);
        if (!twice.isEmpty()) {
            throw new IllegalArgumentException("example " + twice.get(0) + " appears twice; give each example its own index");
        }
        return examples.mapPartitions(it -> List.of(Shard.of(it)).iterator()).cache();
    }

    /**
     * The gradient of the mean loss over the examples {@code batch} names, computed by the
     * partitions that hold them and summed: what {@code model.gradient} gives on one machine.
     *
     * @throws IllegalArgumentException if {@code batch} is empty, names an example twice, or names
     *                                  one that no partition holds
     */
    public static MlpDerivatives.LossGradient gradient(JavaSparkContext sc, JavaRDD<Shard> shards, Main.Model model,
            int[] batch) {
        if (batch.length == 0) throw new IllegalArgumentException("an empty minibatch has no gradient");
        int[] sorted = batch.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("the minibatch names example " + sorted[i] + " twice");
            }
        }
        Broadcast<Weights> weights = sc.broadcast(new Weights(model.w1(), model.b1(), model.w2(), model.b2()));
        try {
            Sums zero = new Sums(model.w1().length(), model.b1().length(), model.w2().length(), model.b2().length());
            Sums sums = shards.treeAggregate(zero, (acc, shard) -> {
                Shard.Batch share = shard.select(sorted);
                if (share == null) return acc; // this partition holds none of the minibatch
                Weights w = weights.value();
                MlpDerivatives.LossGradient g = MlpDerivatives.lossGradient(w.w1(), w.b1(), w.w2(), w.b2(),
                        share.images(), share.labels(), LAST.get());
                LAST.set(g);
                return acc.add(g, share.size());
            }, Sums::merge, 2);
            if (sums.count != sorted.length) {
                throw new IllegalArgumentException("the minibatch names " + sorted.length + " examples, but the partitions hold "
                        + sums.count + " of them; name examples by their index in the training set");
            }
            double n = sums.count;
            return new MlpDerivatives.LossGradient(Nd4j.scalar(sums.loss / n), mean(sums.w1, n, model.w1()),
                    mean(sums.b1, n, model.b1()), mean(sums.w2, n, model.w2()), mean(sums.b2, n, model.b2()));
        } finally {
            weights.destroy();
        }
    }

    private static INDArray mean(double[] sum, double n, INDArray like) {
        double[] out = new double[sum.length];
        for (int i = 0; i < sum.length; i++) out[i] = sum[i] / n;
        return Nd4j.create(out, like.shape(), DataType.DOUBLE);
    }

    /**
     * Trains {@code model} in place for {@code epochs} epochs of minibatches of {@link Main#BATCH},
     * drawn from {@code rng} as {@code Main.train} draws them; prints one line per epoch.
     */
    public static Main.Model train(JavaSparkContext sc, JavaRDD<Shard> shards, Main.Model model, Digits train, int epochs,
            Random rng, PrintStream out) {
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            int[] order = Digits.permutation(train.size(), rng);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < order.length; from += Main.BATCH) {
                int[] batch = Arrays.copyOfRange(order, from, Math.min(from + Main.BATCH, order.length));
                MlpDerivatives.LossGradient g = gradient(sc, shards, model, batch);
                lossSum += g.value().getDouble(0);
                batches++;
                model.step(g, Main.LEARNING_RATE);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf("  epoch %2d  loss %.4f  train accuracy %5.1f%%  %.2f s%n",
                    epoch, lossSum / batches, 100 * model.accuracy(train), seconds);
        }
        return model;
    }
}
