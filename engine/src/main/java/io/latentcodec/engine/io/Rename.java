package io.latentcodec.engine.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * Linux's {@code renameat2(2)} through the FFM API: {@link #NOREPLACE} (rename unless the target
 * exists, in one step) and {@link #EXCHANGE} (swap two paths, files or directories, in one step).
 * {@link AtomicOutput} uses them where they exist and falls back to plain renames elsewhere.
 *
 * <p>{@link #call} answers {@code false} when the C library lacks the call or the file system
 * refuses the flag ({@code ENOSYS}, {@code EINVAL}), so the caller can take its fallback; every
 * other failure is an {@link IOException} naming the paths and {@code strerror(errno)}. System
 * property {@code latentcodec.io.renameat2=false} disables it (the tests use it to check the
 * fallbacks on Linux).
 */
final class Rename {
    static final int NOREPLACE = 1; // RENAME_NOREPLACE, <linux/fs.h>
    static final int EXCHANGE = 2; // RENAME_EXCHANGE

    private static final int AT_FDCWD = -100;
    private static final int EEXIST = 17;
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;

    private static final MethodHandle RENAMEAT2;
    private static final MethodHandle STRERROR;
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static {
        MethodHandle r = null;
        MethodHandle s = null;
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                var lookup = linker.defaultLookup();
                MemorySegment f = lookup.find("renameat2").orElse(null);
                if (f != null) {
                    r = linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
                    s = lookup.find("strerror").map(e -> linker.downcallHandle(e,
                            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)),
                                    ValueLayout.JAVA_INT))).orElse(null);
                }
            } catch (RuntimeException | LinkageError e) {
                r = null; // native access refused or an odd platform: plain renames then
            }
        }
        RENAMEAT2 = r;
        STRERROR = s;
    }

    /** False to take the fallbacks (system property {@code latentcodec.io.renameat2=false}; tests switch it). */
    static volatile boolean enabled = !"false".equals(System.getProperty("latentcodec.io.renameat2"));

    private Rename() {
    }

    static boolean available() {
        return RENAMEAT2 != null && enabled;
    }

    /**
     * {@code renameat2(from, to, flags)}.
     *
     * @return true if done; false if not supported here (nothing was changed)
     * @throws FileAlreadyExistsException for {@link #NOREPLACE} when {@code to} exists
     */
    static boolean call(Path from, Path to, int flags) throws IOException {
        if (!available()) {
            return false;
        }
        int rc;
        int errno;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CAPTURE);
            try {
                rc = (int) RENAMEAT2.invokeExact(state, AT_FDCWD, a.allocateFrom(from.toString()), AT_FDCWD,
                        a.allocateFrom(to.toString()), flags);
            } catch (Throwable t) {
                throw new IOException("renameat2 failed: " + t, t);
            }
            errno = (int) ERRNO.get(state, 0L);
        }
        if (rc == 0) {
            return true;
        }
        if (errno == ENOSYS || errno == EINVAL) {
            return false;
        }
        if (errno == EEXIST && (flags & NOREPLACE) != 0) {
            throw new FileAlreadyExistsException(to.toString(), null, "appeared while writing; not replaced");
        }
        throw new IOException("cannot rename " + from + " to " + to + ": " + strerror(errno));
    }

    private static String strerror(int errno) {
        if (STRERROR != null) {
            try {
                return ((MemorySegment) STRERROR.invokeExact(errno)).getString(0);
            } catch (Throwable ignored) {
                // fall through to the number
            }
        }
        return "errno " + errno;
    }
}
