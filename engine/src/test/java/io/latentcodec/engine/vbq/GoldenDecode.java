package io.latentcodec.engine.vbq;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes one VBQ file with the shipped photo-vae and writes the raw RGB bytes: what
 * {@link VbqGoldenTest} runs in a separate JVM, with a class path stripped of TensorFlow and at other
 * vector widths. Prints whether TensorFlow's classes were on the class path; a failure prints the
 * exception's class and message on stderr and exits 1.
 * <pre>  java -cp ... io.latentcodec.engine.vbq.GoldenDecode IN.lc OUT.rgb</pre>
 */
public final class GoldenDecode {
    private GoldenDecode() {
    }

    public static void main(String[] args) throws Exception {
        boolean tf;
        try {
            Class.forName("org.tensorflow.TensorFlow", false, GoldenDecode.class.getClassLoader());
            tf = true;
        } catch (ClassNotFoundException e) {
            tf = false;
        }
        System.out.println("tensorflow on the class path: " + tf);
        try (VbqModel m = VbqModel.named("photo-vae")) {
            byte[] rgb = Vbq.decompress(Files.readAllBytes(Path.of(args[0])), m).rgb();
            Files.write(Path.of(args[1]), rgb);
            System.out.println("decoded " + rgb.length + " bytes with " + io.latentcodec.kernels.Simd.describe());
        } catch (RuntimeException e) {
            System.err.println(e.getClass().getName() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
