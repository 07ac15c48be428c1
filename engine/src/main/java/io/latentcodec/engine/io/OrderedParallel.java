package io.latentcodec.engine.io;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs independent tasks 0..n-1 on worker threads and hands their results to a consumer in
 * index order, with at most {@code 2 * threads} results in flight (memory stays bounded however
 * many chains a file has). Tasks share nothing mutable; the only synchronisation is the handoff
 * of each finished result, never inside a task.
 */
public final class OrderedParallel {
    private OrderedParallel() {
    }

    /** Receives result i after results 0..i-1, on the calling thread. */
    @FunctionalInterface
    public interface Consumer<T> {
        void accept(int index, T result) throws Exception;
    }

    /**
     * Runs {@code task(i)} for i in [0, n) on {@code threads} threads (1 runs everything on the
     * caller's thread), passing results to {@code consumer} in order. The first failure stops
     * the rest and is rethrown: unchecked exceptions as they are, others wrapped.
     */
    public static <T> void run(int n, int threads, IntFunction<T> task, Consumer<T> consumer) throws Exception {
        if (threads <= 1 || n <= 1) {
            for (int i = 0; i < n; i++) {
                consumer.accept(i, task.apply(i));
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, n), r -> {
            Thread t = new Thread(r, "latentcodec-chain");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<T>> window = new ArrayDeque<>();
            int next = 0;
            for (int i = 0; i < n; i++) {
                while (next < n && window.size() < 2 * threads) {
                    final int k = next++;
                    window.add(pool.submit(() -> task.apply(k)));
                }
                T result;
                try {
                    result = window.poll().get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new RuntimeException(cause);
                }
                consumer.accept(i, result);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
