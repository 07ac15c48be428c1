package io.latentcodec.engine.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr for long work: redrawn in place on a terminal, a line every few
 * seconds otherwise (logs, CI), silent when disabled. Thread-safe; cheap to call often.
 */
public final class Progress implements AutoCloseable {
    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean enabled;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastPrint;

    public Progress(String label, long total, String unit, boolean enabled) {
        this.label = label;
        this.total = Math.max(1, total);
        this.unit = unit;
        this.out = System.err;
        this.enabled = enabled;
        this.terminal = System.console() != null;
    }

    public synchronized void add(long n) {
        done += n;
        long now = System.nanoTime();
        if (enabled && (now - lastPrint > (terminal ? 100_000_000L : 5_000_000_000L) || done >= total)) {
            lastPrint = now;
            print(now, false);
        }
    }

    private void print(long now, boolean last) {
        double secs = (now - startNanos) / 1e9;
        double frac = Math.min(1.0, (double) done / total);
        double rate = done / Math.max(secs, 1e-9);
        double left = rate > 0 ? (total - done) / rate : 0;
        int width = 30;
        int filled = (int) (frac * width);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        String line = String.format(Locale.ROOT, "%s [%s] %5.1f%% %d/%d %s, %.1f %s/s, %.0fs left",
                label, bar, 100 * frac, done, total, unit, rate, unit, left);
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (enabled && terminal && lastPrint != 0) {
            print(System.nanoTime(), true);
        }
    }
}
