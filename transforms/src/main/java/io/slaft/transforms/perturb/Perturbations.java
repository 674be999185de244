package io.slaft.transforms.perturb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The registry of perturbations by name.
 *
 * <p>Text perturbations: {@code char-swap}, {@code char-delete}, {@code char-insert},
 * {@code char-keyboard}, {@code word-dropout}, {@code word-swap}, {@code word-duplicate}. Token
 * perturbations, which need a {@link TokenVocabulary}: {@code token-random}, {@code token-unk},
 * {@code token-mask}. Lookups are exact and case-sensitive; the registry is immutable and
 * thread-safe.
 */
public final class Perturbations {

  private static final Map<String, TextPerturbation> TEXT = new LinkedHashMap<>();
  private static final Map<String, TokenReplacement.Mode> TOKEN = new LinkedHashMap<>();

  static {
    for (CharacterPerturbation p : CharacterPerturbation.ALL) {
      TEXT.put(p.name(), p);
    }
    for (WordPerturbation p : WordPerturbation.ALL) {
      TEXT.put(p.name(), p);
    }
    for (TokenReplacement.Mode mode : TokenReplacement.Mode.values()) {
      TOKEN.put(mode.registryName, mode);
    }
  }

  private Perturbations() {}

  /** Every registered name, text perturbations first, in a stable order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(TEXT.keySet());
    names.addAll(TOKEN.keySet());
    return List.copyOf(names);
  }

  /** Names of the perturbations that work on raw text. */
  public static List<String> textNames() {
    return List.copyOf(TEXT.keySet());
  }

  /** Names of the perturbations that work on token ids. */
  public static List<String> tokenNames() {
    return List.copyOf(TOKEN.keySet());
  }

  /** Whether {@code name} is registered. */
  public static boolean contains(String name) {
    return TEXT.containsKey(name) || TOKEN.containsKey(name);
  }

  /** The level of the named perturbation. */
  public static PerturbationLevel level(String name) {
    return TOKEN.containsKey(name) ? PerturbationLevel.TOKEN : text(name).level();
  }

  /**
   * The text perturbation called {@code name}.
   *
   * @throws IllegalArgumentException if the name is unknown (the message lists the allowed names)
   *     or names a token perturbation
   */
  public static TextPerturbation text(String name) {
    Objects.requireNonNull(name, "name");
    TextPerturbation perturbation = TEXT.get(name);
    if (perturbation == null) {
      if (TOKEN.containsKey(name)) {
        throw new IllegalArgumentException("perturbation '" + name
            + "' works on token ids, not text; use Perturbations.token(name, vocabulary)");
      }
      throw unknown(name);
    }
    return perturbation;
  }

  /**
   * The token perturbation called {@code name} over {@code vocabulary}.
   *
   * @throws IllegalArgumentException if the name is unknown (the message lists the allowed names)
   *     or names a text perturbation
   */
  public static TokenPerturbation token(String name, TokenVocabulary vocabulary) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(vocabulary, "vocabulary");
    TokenReplacement.Mode mode = TOKEN.get(name);
    if (mode == null) {
      if (TEXT.containsKey(name)) {
        throw new IllegalArgumentException("perturbation '" + name
            + "' works on text, not token ids; use Perturbations.text(name)");
      }
      throw unknown(name);
    }
    return new TokenReplacement(mode, vocabulary);
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException("unknown perturbation '" + name + "'; allowed: "
        + String.join(", ", names()));
  }
}
