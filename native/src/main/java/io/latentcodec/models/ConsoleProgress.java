package io.latentcodec.models;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar for training: epoch, bar, loss, -ELBO in bits/dim, validation, time left.
 * On a terminal the line redraws in place (at most every 200 ms); otherwise it prints one line per
 * epoch, which suits logs.
 */
public final class ConsoleProgress implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean interactive;
    private final double dimLn2;
    private long lastDraw;

    /** A bar on {@code out}; {@code interactive} redraws one line in place. */
    public ConsoleProgress(PrintStream out, boolean interactive, int dataDim) {
        this.out = out;
        this.interactive = interactive;
        this.dimLn2 = dataDim * Math.log(2);
    }

    /** A bar on standard error, redrawn in place when a console is attached. */
    public static ConsoleProgress stderr(int dataDim) {
        return new ConsoleProgress(System.err, System.console() != null, dataDim);
    }

    @Override
    public void started(TrainingConfig c, int trainImages, int batchesPerEpoch) {
        out.printf(Locale.ROOT, "training %s: %s on %s (%d images, %d held out), %d epochs x %d batches of %d, Adam lr %g, seed %d%n",
                c.name(), c.architecture().id(), c.dataset(), trainImages, c.validation(), c.epochs(), batchesPerEpoch, c.batchSize(),
                c.learningRate(), c.seed());
    }

    @Override
    public void batch(int epoch, int epochs, int batch, int batches, double runningNats, double elapsed, double remaining) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && batch < batches) {
            return;
        }
        lastDraw = now;
        double frac = ((epoch - 1) + batch / (double) batches) / epochs;
        out.print("\r" + line(epoch, epochs, frac, runningNats, Double.NaN, remaining) + "   ");
        out.flush();
    }

    @Override
    public void epoch(Epoch e) {
        String l = line(e.epoch(), e.epochs(), e.epoch() / (double) e.epochs(), e.trainNats(), e.validationBitsPerDim(), e.remainingSeconds())
                + (e.best() ? " *" : "");
        out.print(interactive ? "\r" + l + "   \n" : l + "\n");
        out.flush();
    }

    @Override
    public void message(String line) {
        out.println(line);
    }

    private String line(int epoch, int epochs, double frac, double nats, double val, double remaining) {
        int filled = (int) Math.round(frac * WIDTH);
        String bar = "#".repeat(Math.min(WIDTH, filled)) + ".".repeat(Math.max(0, WIDTH - filled));
        String v = Double.isNaN(val) ? "" : String.format(Locale.ROOT, "  val %.4f", val);
        return String.format(Locale.ROOT, "epoch %3d/%d [%s] %3.0f%%  loss %8.3f nats  -ELBO %.4f bits/dim%s  left %s",
                epoch, epochs, bar, 100 * frac, nats, nats / dimLn2, v, time(remaining));
    }

    static String time(double s) {
        if (!(s >= 0) || Double.isInfinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t / 60 % 60)
                : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
