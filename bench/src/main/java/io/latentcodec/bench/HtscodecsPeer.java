package io.latentcodec.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * htscodecs' rANS 32x16 (order 0 or 1, its own SSE4/AVX2/AVX-512 dispatch), the C anchor of the
 * static codec, called through the FFM API from the library that {@code scripts/fetch-htscodecs}
 * unpacks (Debian's libhtscodecs2). Bench module only. Input and compressed stream are copied to
 * native memory once per distinct array, so a call times htscodecs' kernel, not a copy.
 */
final class HtscodecsPeer extends ByteCodecs {
    /** Path of the library under the data folder. */
    static final String LIBRARY = "tools/htscodecs/usr/lib/x86_64-linux-gnu/libhtscodecs.so.2";
    /** {@code RANS_ORDER_X32}: 32 interleaved states (rANS_static4x16.h). */
    private static final int ORDER_X32 = 0x04;

    private static MethodHandle compressTo;
    private static MethodHandle uncompressTo;
    private static MethodHandle bound;

    private final int order;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
    private MemorySegment out;
    private MemorySegment dec;
    private int outLen;
    private int decLen;
    private byte[] inSeen;
    private MemorySegment inNative;
    private byte[] cSeen;
    private MemorySegment cNative;

    HtscodecsPeer(int order) {
        this.order = order;
        link();
    }

    /** The library's path, or an exception that names the script installing it. */
    static Path library() {
        Path lib = BenchData.dataDir().resolve(LIBRARY);
        if (!Files.isRegularFile(lib)) {
            throw new IllegalStateException("htscodecs peer skipped: " + lib + " is missing; run scripts/fetch-htscodecs");
        }
        return lib;
    }

    private static synchronized void link() {
        if (compressTo != null) {
            return;
        }
        SymbolLookup lib = SymbolLookup.libraryLookup(library(), Arena.global());
        Linker linker = Linker.nativeLinker();
        compressTo = linker.downcallHandle(lib.findOrThrow("rans_compress_to_4x16"), FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        uncompressTo = linker.downcallHandle(lib.findOrThrow("rans_uncompress_to_4x16"), FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        bound = linker.downcallHandle(lib.findOrThrow("rans_compress_bound_4x16"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    @Override
    void init(int n) {
        try {
            int max = (int) bound.invokeExact(n, order | ORDER_X32);
            out = arena.allocate(max, 64);
            dec = arena.allocate(Math.max(1, n), 64);
        } catch (Throwable e) {
            throw new IllegalStateException("htscodecs rans_compress_bound_4x16 failed", e);
        }
    }

    private static MemorySegment nativeCopy(Arena arena, byte[] b) {
        MemorySegment s = arena.allocate(Math.max(1, b.length), 64);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
        return s;
    }

    @Override
    int encode(byte[] in) {
        if (in != inSeen) {
            inNative = nativeCopy(arena, in);
            inSeen = in;
        }
        size.set(ValueLayout.JAVA_INT, 0, (int) out.byteSize());
        try {
            MemorySegment r = (MemorySegment) compressTo.invokeExact(inNative, in.length, out, size, order | ORDER_X32);
            if (r.address() == 0) {
                throw new IllegalStateException("htscodecs rans_compress_to_4x16 failed");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        outLen = size.get(ValueLayout.JAVA_INT, 0);
        return outLen;
    }

    @Override
    byte[] encoded() {
        return out.asSlice(0, outLen).toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    int decode(byte[] c) {
        if (c != cSeen) {
            cNative = nativeCopy(arena, c);
            cSeen = c;
        }
        size.set(ValueLayout.JAVA_INT, 0, (int) dec.byteSize());
        try {
            MemorySegment r = (MemorySegment) uncompressTo.invokeExact(cNative, c.length, dec, size);
            if (r.address() == 0) {
                throw new IllegalStateException("htscodecs rans_uncompress_to_4x16 failed");
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        decLen = size.get(ValueLayout.JAVA_INT, 0);
        return decLen;
    }

    @Override
    byte[] decoded() {
        return dec.asSlice(0, decLen).toArray(ValueLayout.JAVA_BYTE);
    }
}
