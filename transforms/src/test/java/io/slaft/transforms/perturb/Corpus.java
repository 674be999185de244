package io.slaft.transforms.perturb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real English sentences for perturbation tests: the first 300 sentences of the SST-2 dev split
 * under the data root ({@code SLAFT_DATA}, default {@code ../../shared/datasets} from the module)
 * when present, otherwise a fixed sample of SST-2 dev sentences.
 */
final class Corpus {

  private static final Path SST2_DEV = Path.of(
      System.getenv().getOrDefault("SLAFT_DATA", "../../shared/datasets"), "glue", "SST-2",
      "dev.tsv");

  private static final List<String> FALLBACK = List.of(
      "it 's a charming and often affecting journey . ",
      "unflinchingly bleak and desperate ",
      "allows us to hope that nolan is poised to embark a major career as a commercial yet"
          + " inventive filmmaker . ",
      "the acting , costumes , music , cinematography and sound are all astounding given the"
          + " production 's austere locales . ",
      "it 's slow -- very , very slow . ",
      "although laced with humor and a few fanciful touches , the film is a refreshingly serious"
          + " look at young women . ",
      "a sometimes tedious film . ",
      "or doing last year 's taxes with your ex-wife . ",
      "you do n't have to know about music to appreciate the film 's easygoing blend of comedy"
          + " and romance . ",
      "in exactly 89 minutes , most of which passed as slowly as if i 'd been sitting naked on an"
          + " igloo , formula 51 sank from quirky to jerky to utter turkey . ",
      "the mesmerizing performances of the leads keep the film grounded and keep the audience"
          + " riveted . ",
      "it takes a strange kind of laziness to waste the talents of robert forster , anne meara ,"
          + " eugene levy , and reginald veljohnson all in the same movie . ",
      "... the film suffers from a lack of humor ( something needed to balance out the violence"
          + " ) ... ",
      "we root for ( clara and paul ) , even like them , though perhaps it 's an emotion closer"
          + " to pity . ",
      "even horror fans will most likely not find what they 're seeking with trouble every day ;"
          + " the movie lacks both thrills and humor . ",
      "a gorgeous , high-spirited musical from india that exquisitely blends music , dance , song"
          + " , and high drama . ",
      "the emotions are raw and will strike a nerve with anyone who 's ever had family trauma . ",
      "audrey tatou has a knack for picking roles that magnify her outrageous charm , and in this"
          + " literate french comedy , she 's as morning-glory exuberant as she was in amélie . ",
      "... the movie is just a plain old monster . ",
      "in its best moments , resembles a bad high school production of grease , without benefit"
          + " of song . ");

  private Corpus() {}

  static List<String> sentences() {
    if (!Files.isRegularFile(SST2_DEV)) {
      return FALLBACK;
    }
    try {
      List<String> lines = Files.readAllLines(SST2_DEV, StandardCharsets.UTF_8);
      List<String> sentences = new ArrayList<>();
      for (String line : lines.subList(1, Math.min(lines.size(), 301))) {
        sentences.add(line.split("\t", -1)[0]);
      }
      return List.copyOf(sentences);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
