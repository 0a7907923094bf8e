package dev.tapeless.spark;

import dev.tapeless.examples.Digits;
import dev.tapeless.examples.Main;
import dev.tapeless.examples.MlpDerivatives;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the digits perceptron of the main example on Spark, data-parallel, with the gradient
 * Tapeless generated ({@link DistributedTraining}). Arguments: the master (none or {@code ""}:
 * spark-submit's {@code --master}, else {@code local[2]}), then the number of epochs (20).
 */
public final class SparkMain {
    private SparkMain() {}

    public static void main(String[] args) {
        long start = System.nanoTime();
        if (System.getenv("OMP_NUM_THREADS") == null) Nd4j.getEnvironment().setMaxThreads(1);
        SparkConf conf = new SparkConf().setAppName("tapeless-digits").set("spark.ui.enabled", "false");
        if (args.length > 0 && !args[0].isEmpty()) conf.setMaster(args[0]);
        else if (!conf.contains("spark.master")) conf.setMaster("local[2]");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : Main.EPOCHS;

        Random rng = new Random(Main.SEED);
        Digits.Split split = Digits.load().split(Main.HELD_OUT, rng);
        Digits train = split.training();
        Main.Model model = Main.Model.initial(rng);

        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            int partitions = sc.defaultParallelism();
            JavaRDD<Shard> shards = DistributedTraining.shards(DistributedTraining.examples(sc, train, partitions));
            System.out.printf("Tapeless on Spark %s (master %s, %d partitions): the digits perceptron by data-parallel minibatch SGD,%n",
                    sc.version(), sc.master(), partitions);
            System.out.printf("each partition computing MlpDerivatives.lossGradient on its share of each minibatch of %d,"
                    + " summed by treeAggregate%n", Main.BATCH);

            int[] first = java.util.Arrays.copyOfRange(Digits.permutation(train.size(), new Random(1)), 0, Main.BATCH);
            MlpDerivatives.LossGradient distributed = DistributedTraining.gradient(sc, shards, model, first);
            Digits sample = train.select(first);
            MlpDerivatives.LossGradient local = model.gradient(sample.images(), sample.oneHot());
            System.out.printf("one minibatch's gradient, distributed against one machine: largest difference %.1e%n",
                    largestDifference(distributed, local));

            DistributedTraining.train(sc, shards, model, train, epochs, rng, System.out);
        }
        Digits heldOut = split.heldOut();
        double accuracy = model.accuracy(heldOut);
        System.out.printf("held-out accuracy: %.1f%% (%d of %d images)   total time %.1f s%n", 100 * accuracy,
                Math.round(accuracy * heldOut.size()), heldOut.size(), (System.nanoTime() - start) / 1e9);
    }

    static double largestDifference(MlpDerivatives.LossGradient a, MlpDerivatives.LossGradient b) {
        INDArray[] x = {a.value(), a.w1(), a.b1(), a.w2(), a.b2()};
        INDArray[] y = {b.value(), b.w1(), b.b1(), b.w2(), b.b2()};
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, x[i].reshape(x[i].length()).sub(y[i].reshape(y[i].length())).amaxNumber().doubleValue());
        }
        return worst;
    }
}
