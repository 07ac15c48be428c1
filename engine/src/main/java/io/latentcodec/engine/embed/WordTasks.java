package io.latentcodec.engine.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The word-embedding quality measures, in our own code.
 *
 * <h2>Analogies</h2>
 * A hand-written list of word pairs in eight relations (below), all frequent in the State of the Union
 * addresses or Moby-Dick, in the style of Mikolov et al.'s analogy set. Every ordered pair of two
 * different pairs (a, b), (c, d) of one relation is a question "a is to b as c is to ?", answered with
 * the vocabulary word (a, b, c excluded) of highest cosine similarity to {@code b - a + c} of the
 * unit-normalised vectors. Questions with a word outside the vocabulary are left out (the number kept
 * is reported). Score: the fraction answered exactly (top-1 accuracy).
 *
 * <h2>Neighbour agreement</h2>
 * For the 1,000 most frequent words, the overlap of their 10 nearest neighbours (cosine) under the
 * compressed vectors with those under the uncompressed means: 1 for a lossless copy.
 */
public final class WordTasks {
    private WordTasks() {
    }

    /** Relation name, then its pairs. */
    public static final Map<String, String[][]> RELATIONS = new java.util.LinkedHashMap<>();

    static {
        RELATIONS.put("gender", pairs("man woman", "men women", "he she", "his her", "him her", "husband wife", "father mother",
                "son daughter", "brother sister", "king queen", "boy girl", "sons daughters", "fathers mothers", "brothers sisters", "himself herself"));
        RELATIONS.put("plural", pairs("year years", "day days", "nation nations", "state states", "war wars", "child children",
                "family families", "program programs", "country countries", "law laws", "right rights", "job jobs", "ship ships",
                "whale whales", "company companies", "city cities", "school schools", "worker workers", "problem problems", "force forces",
                "power powers", "treaty treaties", "citizen citizens", "officer officers", "man men", "boat boats", "sea seas", "hand hands"));
        RELATIONS.put("past tense", pairs("is was", "are were", "has had", "do did", "make made", "take took", "go went", "give gave",
                "see saw", "come came", "know knew", "say said", "find found", "think thought", "tell told", "become became", "begin began",
                "grow grew", "build built", "bring brought", "keep kept", "leave left", "meet met", "pay paid", "stand stood"));
        RELATIONS.put("comparative", pairs("great greater", "large larger", "strong stronger", "small smaller", "high higher",
                "low lower", "long longer", "old older", "young younger", "hard harder", "good better", "bad worse", "few fewer", "wide wider",
                "deep deeper", "cheap cheaper"));
        RELATIONS.put("ordinal", pairs("one first", "two second", "three third", "four fourth", "five fifth", "six sixth", "seven seventh",
                "eight eighth", "ten tenth"));
        RELATIONS.put("month", pairs("january february", "february march", "march april", "june july", "july august",
                "august september", "september october", "october november", "november december"));
        RELATIONS.put("nationality", pairs("america american", "britain british", "france french", "germany german", "china chinese",
                "japan japanese", "russia russian", "mexico mexican", "spain spanish", "england english", "italy italian", "canada canadian",
                "cuba cuban", "europe european", "africa african", "iran iranian", "iraq iraqi", "israel israeli", "korea korean",
                "vietnam vietnamese", "asia asian", "soviet soviets"));
        RELATIONS.put("adverb", pairs("quick quickly", "slow slowly", "full fully", "clear clearly", "careful carefully", "strong strongly",
                "rapid rapidly", "equal equally", "similar similarly", "recent recently", "direct directly", "immediate immediately",
                "serious seriously", "certain certainly", "final finally", "real really"));
    }

    private static String[][] pairs(String... p) {
        String[][] out = new String[p.length][];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i].split(" ");
        }
        return out;
    }

    /** An analogy question as word ids: a : b :: c : d. */
    public record Question(String relation, int a, int b, int c, int d) {
    }

    /** The questions whose four words are in the vocabulary ({@code id} gives -1 for others). */
    public static List<Question> questions(java.util.function.ToIntFunction<String> id) {
        List<Question> out = new ArrayList<>();
        for (var e : RELATIONS.entrySet()) {
            String[][] ps = e.getValue();
            for (String[] p : ps) {
                for (String[] q : ps) {
                    if (p == q) {
                        continue;
                    }
                    int a = id.applyAsInt(p[0]);
                    int b = id.applyAsInt(p[1]);
                    int c = id.applyAsInt(q[0]);
                    int d = id.applyAsInt(q[1]);
                    if (a >= 0 && b >= 0 && c >= 0 && d >= 0 && a != c && b != d) {
                        out.add(new Question(e.getKey(), a, b, c, d));
                    }
                }
            }
        }
        return out;
    }

    /** Rows scaled to unit length (zero rows stay zero). */
    public static float[] normalize(float[] v, int rows, int dim) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int k = 0; k < dim; k++) {
                s += (double) v[r * dim + k] * v[r * dim + k];
            }
            double inv = s > 0 ? 1 / Math.sqrt(s) : 0;
            for (int k = 0; k < dim; k++) {
                out[r * dim + k] = (float) (v[r * dim + k] * inv);
            }
        }
        return out;
    }

    /** Top-1 analogy accuracy of the vectors {@code v} (rows x dim, not yet normalised). */
    public static double analogyAccuracy(float[] v, int rows, int dim, List<Question> qs) {
        float[] n = normalize(v, rows, dim);
        int right = 0;
        float[] target = new float[dim];
        for (Question q : qs) {
            for (int k = 0; k < dim; k++) {
                target[k] = n[q.b() * dim + k] - n[q.a() * dim + k] + n[q.c() * dim + k];
            }
            int best = -1;
            double bestS = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                if (r == q.a() || r == q.b() || r == q.c()) {
                    continue;
                }
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    s += n[r * dim + k] * target[k];
                }
                if (s > bestS) {
                    bestS = s;
                    best = r;
                }
            }
            if (best == q.d()) {
                right++;
            }
        }
        return qs.isEmpty() ? Double.NaN : right / (double) qs.size();
    }

    /** The ids of the k nearest neighbours (cosine, itself excluded) of each of the first {@code words} rows. */
    public static int[][] neighbours(float[] v, int rows, int dim, int words, int k) {
        float[] n = normalize(v, rows, dim);
        int[][] out = new int[words][];
        double[] s = new double[rows];
        for (int w = 0; w < words; w++) {
            for (int r = 0; r < rows; r++) {
                double d = 0;
                for (int j = 0; j < dim; j++) {
                    d += n[w * dim + j] * n[r * dim + j];
                }
                s[r] = r == w ? Double.NEGATIVE_INFINITY : d;
            }
            int[] top = new int[k];
            for (int t = 0; t < k; t++) {
                int best = 0;
                for (int r = 1; r < rows; r++) {
                    if (s[r] > s[best]) {
                        best = r;
                    }
                }
                top[t] = best;
                s[best] = Double.NEGATIVE_INFINITY;
            }
            out[w] = top;
        }
        return out;
    }

    /** Mean fraction of shared neighbours between two neighbour lists. */
    public static double overlap(int[][] a, int[][] b) {
        double sum = 0;
        for (int w = 0; w < a.length; w++) {
            java.util.Set<Integer> s = new java.util.HashSet<>();
            for (int x : a[w]) {
                s.add(x);
            }
            int shared = 0;
            for (int x : b[w]) {
                if (s.contains(x)) {
                    shared++;
                }
            }
            sum += shared / (double) a[w].length;
        }
        return sum / a.length;
    }
}
