package io.latentcodec.models.embed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A text corpus as word ids: lower-cased runs of the letters a-z are the tokens (everything else
 * separates them); the vocabulary is the {@code size} most frequent tokens (ties: alphabetical), id 0
 * the most frequent; tokens outside it are dropped before windows are formed (as word2vec does).
 */
public final class Corpus {
    public final List<String> words;
    public final long[] counts;
    public final int[] ids;
    private final Map<String, Integer> index;

    private Corpus(List<String> words, long[] counts, int[] ids) {
        this.words = List.copyOf(words);
        this.counts = counts;
        this.ids = ids;
        this.index = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            index.put(words.get(i), i);
        }
    }

    /** The id of a word, or -1. */
    public int id(String w) {
        return index.getOrDefault(w.toLowerCase(Locale.ROOT), -1);
    }

    public int size() {
        return words.size();
    }

    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (c >= 'a' && c <= 'z') {
                b.append(c);
            } else if (b.length() > 0) {
                out.add(b.toString());
                b.setLength(0);
            }
        }
        if (b.length() > 0) {
            out.add(b.toString());
        }
        return out;
    }

    public static Corpus read(List<Path> files, int size) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(tokens(Files.readString(f, StandardCharsets.UTF_8)));
        }
        Map<String, long[]> freq = new HashMap<>();
        for (String t : all) {
            freq.computeIfAbsent(t, k -> new long[1])[0]++;
        }
        List<Map.Entry<String, long[]>> e = new ArrayList<>(freq.entrySet());
        e.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0]) : a.getKey().compareTo(b.getKey()));
        int v = Math.min(size, e.size());
        List<String> words = new ArrayList<>();
        long[] counts = new long[v];
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < v; i++) {
            words.add(e.get(i).getKey());
            counts[i] = e.get(i).getValue()[0];
            idx.put(words.get(i), i);
        }
        int[] ids = new int[all.size()];
        int n = 0;
        for (String t : all) {
            Integer i = idx.get(t);
            if (i != null) {
                ids[n++] = i;
            }
        }
        return new Corpus(words, counts, Arrays.copyOf(ids, n));
    }
}
