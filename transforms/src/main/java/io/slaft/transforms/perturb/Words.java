package io.slaft.transforms.perturb;

import java.util.ArrayList;
import java.util.List;

/**
 * A text split into whitespace-separated words and the whitespace around them, so that word-level
 * edits keep the original spacing of the words they do not touch.
 */
final class Words {

  final String leading;
  final List<String> words;
  /** {@code following.get(i)} is the whitespace after word {@code i}; the last one is trailing. */
  final List<String> following;

  private Words(String leading, List<String> words, List<String> following) {
    this.leading = leading;
    this.words = words;
    this.following = following;
  }

  static Words split(String text) {
    int i = 0;
    int n = text.length();
    while (i < n && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    String leading = text.substring(0, i);
    List<String> words = new ArrayList<>();
    List<String> following = new ArrayList<>();
    while (i < n) {
      int start = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      words.add(text.substring(start, i));
      start = i;
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      following.add(text.substring(start, i));
    }
    return new Words(leading, words, following);
  }

  int size() {
    return words.size();
  }

  /** Joins {@code replacement} words with this text's separators (same word count required). */
  String join(List<String> replacement) {
    StringBuilder out = new StringBuilder(leading);
    for (int i = 0; i < replacement.size(); i++) {
      out.append(replacement.get(i)).append(following.get(i));
    }
    return out.toString();
  }

  /** Joins the words not marked {@code dropped}, each followed by its own separator. */
  String joinKept(boolean[] dropped) {
    StringBuilder out = new StringBuilder(leading);
    int last = -1;
    for (int i = 0; i < words.size(); i++) {
      if (!dropped[i]) {
        if (last >= 0) {
          out.append(following.get(last));
        }
        out.append(words.get(i));
        last = i;
      }
    }
    if (!words.isEmpty()) {
      out.append(following.get(words.size() - 1));
    }
    return out.toString();
  }
}
