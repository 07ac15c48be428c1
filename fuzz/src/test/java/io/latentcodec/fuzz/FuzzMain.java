package io.latentcodec.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Runs one {@code @FuzzTest} in this JVM through the JUnit Platform, without Maven: the bounded
 * CI fuzz run ({@code scripts/fuzz}) starts one JVM per target, because Jazzer fuzzes a single
 * target per process. With {@code JAZZER_FUZZ=1} Jazzer fuzzes it (for {@code JAZZER_MAX_DURATION},
 * overriding the annotation); without, it replays the target's corpus as in {@code mvn test}.
 *
 * <pre>
 *   java ... io.latentcodec.fuzz.FuzzMain StaticRansFuzzTest#decodeArbitraryBytes
 *   java ... io.latentcodec.fuzz.FuzzMain --list
 * </pre>
 * Exit status 0 when the target passed, 1 when it failed (a finding), 2 on bad usage.
 */
public final class FuzzMain {
    /** The classes holding fuzz targets (by name: some live in the package of the parser they reach). */
    static final List<String> TARGET_CLASSES = List.of("io.latentcodec.fuzz.StaticRansFuzzTest", "io.latentcodec.fuzz.MessageFuzzTest",
            "io.latentcodec.fuzz.ContainerFuzzTest", "io.latentcodec.fuzz.BitsBackFuzzTest", "io.latentcodec.fuzz.ManifestFuzzTest",
            "io.latentcodec.fuzz.DataFuzzTest", "io.latentcodec.fuzz.VbqFuzzTest", "io.latentcodec.models.data.MnistJsonFuzzTest",
            "io.latentcodec.fuzz.DataSetManifestFuzzTest", "io.latentcodec.spark.hadoop.RansCodecFuzzTest");

    static List<Class<?>> classes() {
        List<Class<?>> out = new ArrayList<>();
        for (String name : TARGET_CLASSES) {
            try {
                out.add(Class.forName(name));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("fuzz target class " + name + " is missing", e);
            }
        }
        return out;
    }

    private FuzzMain() {
    }

    /** Every target as {@code Class#method}. */
    static List<String> targets() {
        List<String> out = new ArrayList<>();
        for (Class<?> c : classes()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(FuzzTest.class)) {
                    out.add(c.getSimpleName() + "#" + m.getName());
                }
            }
        }
        out.sort(null);
        return out;
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--list")) {
            targets().forEach(System.out::println);
            return;
        }
        if (args.length != 1 || !args[0].contains("#")) {
            System.err.println("usage: FuzzMain Class#method | --list");
            System.exit(2);
        }
        String cls = args[0].substring(0, args[0].indexOf('#'));
        String name = args[0].substring(args[0].indexOf('#') + 1);
        Method target = null;
        for (Class<?> c : classes()) {
            if (c.getSimpleName().equals(cls)) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals(name) && m.isAnnotationPresent(FuzzTest.class)) {
                        target = m;
                    }
                }
            }
        }
        if (target == null) {
            System.err.println("no @FuzzTest " + args[0] + "; targets: " + targets());
            System.exit(2);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(target.getDeclaringClass(), target))
                // libFuzzer's per-input timeout, so a hang is a finding with its input saved, not a stuck run. Jazzer
                // passes these through as libFuzzer arguments (argument 0 stands for the program name); a JUnit
                // timeout would instead also time the whole fuzzing run, which is one test template invocation.
                .configurationParameter("jazzer.internal.arg.0", "FuzzMain")
                .configurationParameter("jazzer.internal.arg.1", "-timeout=" + Integer.getInteger("latentcodec.fuzz.timeout", 30))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary s = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printFailuresTo(out, 40);
        out.printf("fuzz target %s: %d run, %d failed%n", args[0], s.getTestsStartedCount(), s.getTotalFailureCount());
        out.flush();
        System.exit(s.getTotalFailureCount() == 0 && s.getTestsStartedCount() > 0 ? 0 : 1);
    }
}
