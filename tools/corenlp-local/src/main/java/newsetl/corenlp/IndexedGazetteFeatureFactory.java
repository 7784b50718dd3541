// SPDX-License-Identifier: GPL-3.0-or-later
// This file extends Stanford CoreNLP (GPL-3.0-or-later) and runs inside its JVM, so it is licensed as CoreNLP is,
// not under the Apache-2.0 licence of the rest of newsetl (docs/processing.md, "the CoreNLP backend").
package newsetl.corenlp;

import edu.stanford.nlp.ie.NERFeatureFactory;
import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ling.CoreAnnotations;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.sequences.Clique;
import edu.stanford.nlp.sequences.FeatureFactory;
import edu.stanford.nlp.sequences.SeqClassifierFlags;
import edu.stanford.nlp.util.PaddedList;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gazette features of a CRF NER model that has {@code cleanGazette} on (a feature fires on every token of a
 * stretch of text that is a whole gazette entry), found by hash look-ups instead of a scan.
 *
 * <p>CoreNLP's NERFeatureFactory finds them, for every token, by going through every gazette entry that holds the
 * token's word and comparing the entry with the words around the token. The Italian model's Wikipedia gazettes
 * hold "di" in 244,000 entries, "-" in 165,000, "." in 48,000: each such token costs a scan of that many entries,
 * which is why Italian NER took seconds per document where German takes milliseconds. Here each stretch of text
 * around the token that could be an entry (every word in it is a gazette word, no longer than the longest entry)
 * is looked up in a hash of the entries. The features are the same strings (type-GAZ and type-GAZn with the clique
 * suffix), so the model's weights and output are unchanged.
 *
 * <p>{@link #main} rewrites a serialized classifier with this factory in front of the model's own (whose clean
 * gazette is turned off and emptied); the server loads the rewritten file in place of the original. Nothing else
 * of the model changes.
 */
public class IndexedGazetteFeatureFactory<IN extends CoreLabel> extends FeatureFactory<IN> {
  private static final long serialVersionUID = 1L;
  /** Joins the words of an entry into a key; never part of a word (checked when the index is built). */
  private static final char SEP = '\u0000';

  /** The model's own feature factory, with its clean gazette turned off. */
  private final FeatureFactory<IN> base;
  /** Each gazette entry (its words joined by SEP) to the features it fires. */
  private final Map<String, String[]> entries;
  /** Every word of some entry (a stretch of text with any other word is no entry), to the length in words of the
   *  longest entry it begins (0 if it begins none). */
  private final Map<String, Integer> words;
  /** Words in the longest entry. */
  private final int longest;

  private IndexedGazetteFeatureFactory(SeqClassifierFlags flags, FeatureFactory<IN> base, Map<String, String[]> entries,
                                       Map<String, Integer> words, int longest) {
    this.base = base;
    this.entries = entries;
    this.words = words;
    this.longest = longest;
    init(flags);
  }

  @Override
  public Collection<String> getCliqueFeatures(PaddedList<IN> info, int loc, Clique clique) {
    Collection<String> features = base.getCliqueFeatures(info, loc, clique);
    if (clique == cliqueC) {
      addGazetteFeatures(info, loc, features, info.get(0).get(CoreAnnotations.DomainAnnotation.class));
    }
    return features;
  }

  /** Adds the feature of every entry that the text covers at {@code loc}, suffixed as NERFeatureFactory does. */
  private void addGazetteFeatures(PaddedList<IN> info, int loc, Collection<String> out, String domain) {
    if (!words.containsKey(getWord(info.get(loc)))) {
      return;
    }
    int first = loc, last = loc;
    while (first > loc - longest + 1 && words.containsKey(getWord(info.get(first - 1)))) {
      first--;
    }
    while (last < loc + longest - 1 && words.containsKey(getWord(info.get(last + 1)))) {
      last++;
    }
    StringBuilder key = new StringBuilder();
    for (int start = first; start <= loc; start++) {
      int end0 = Math.min(last, start + words.get(getWord(info.get(start))) - 1);  // no entry from here is longer
      key.setLength(0);
      for (int end = start; end <= end0; end++) {
        if (end > start) {
          key.append(SEP);
        }
        key.append(getWord(info.get(end)));
        String[] features = end >= loc ? entries.get(key.toString()) : null;
        if (features != null) {
          for (String feature : features) {
            out.add(feature + "|C");
            if (domain != null) {
              out.add(feature + '|' + domain + "-C");
            }
          }
        }
      }
    }
  }

  /**
   * Puts an indexed gazette in front of each of the classifier's NERFeatureFactory objects that match a clean
   * gazette, and turns their own matching off. Returns the number of gazette entries indexed.
   */
  public static <IN extends CoreLabel> int install(CRFClassifier<IN> crf) throws ReflectiveOperationException {
    if (!crf.flags.useGazettes || !crf.flags.cleanGazette) {
      return 0;
    }
    Field infosField = NERFeatureFactory.class.getDeclaredField("wordToGazetteInfos");
    infosField.setAccessible(true);
    int n = 0;
    List<FeatureFactory<IN>> factories = new ArrayList<>(crf.featureFactories);
    for (int i = 0; i < factories.size(); i++) {
      if (factories.get(i) instanceof NERFeatureFactory) {
        @SuppressWarnings("unchecked")
        Map<String, Collection<Object>> infos = (Map<String, Collection<Object>>) infosField.get(factories.get(i));
        IndexedGazetteFeatureFactory<IN> indexed = index(crf.flags, factories.get(i), infos);
        n += indexed.entries.size();
        infosField.set(factories.get(i), new HashMap<String, Collection<Object>>());
        factories.set(i, indexed);
      }
    }
    crf.flags.cleanGazette = false;   // the flags the factories share: NERFeatureFactory no longer scans
    crf.featureFactories = factories;
    return n;
  }

  /** The index of a NERFeatureFactory's gazette (its word to GazetteInfo map). */
  private static <IN extends CoreLabel> IndexedGazetteFeatureFactory<IN> index(
      SeqClassifierFlags flags, FeatureFactory<IN> base, Map<String, Collection<Object>> infos) throws ReflectiveOperationException {
    Map<String, Set<String>> features = new HashMap<>();
    Map<String, Integer> words = new HashMap<>();
    int longest = 0;
    for (Collection<Object> forWord : infos.values()) {
      for (Object info : forWord) {
        String[] entry = (String[]) field(info, "words");
        for (String word : entry) {
          if (word.indexOf(SEP) >= 0) {
            throw new IllegalArgumentException("gazette word holds the key separator: " + word);
          }
          words.putIfAbsent(word, 0);
        }
        words.merge(entry[0], entry.length, Math::max);
        longest = Math.max(longest, entry.length);
        features.computeIfAbsent(String.join(String.valueOf(SEP), entry), k -> new LinkedHashSet<>())
            .add((String) field(info, "feature"));
      }
    }
    // entries share their few distinct feature lists (e.g. LOC-GAZ2, LOC-GAZ)
    Map<List<String>, String[]> shared = new HashMap<>();
    Map<String, String[]> entries = new HashMap<>(features.size() * 4 / 3 + 1);
    for (Map.Entry<String, Set<String>> e : features.entrySet()) {
      List<String> list = new ArrayList<>(e.getValue());
      entries.put(e.getKey(), shared.computeIfAbsent(list, k -> k.stream().map(String::intern).toArray(String[]::new)));
    }
    return new IndexedGazetteFeatureFactory<>(flags, base, entries, words, longest);
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }

  /**
   * {@code IndexedGazetteFeatureFactory MODEL OUT}: reads a serialized CRF classifier (a file or class path
   * resource, such as edu/stanford/nlp/models/ner/italian.crf.ser.gz) and writes it to OUT with its gazette
   * indexed.
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: IndexedGazetteFeatureFactory MODEL OUT");
      System.exit(2);
    }
    CRFClassifier<CoreLabel> crf = CRFClassifier.getClassifier(args[0]);
    int n = install(crf);
    System.err.println("indexed " + n + " gazette entries of " + args[0] + (n == 0 ? " (none: copied as is)" : ""));
    crf.serializeClassifier(args[1]);
  }
}
