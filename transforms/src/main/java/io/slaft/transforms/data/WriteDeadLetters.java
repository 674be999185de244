package io.slaft.transforms.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes all dead letters of a pipeline to one TSV file ({@link DeadLetterTsv} format, sorted, so
 * the file is deterministic), and outputs the path written. With no dead letters the file holds
 * only the header, so it always exists after a run.
 *
 * <p>The file is written through Beam {@link FileSystems} to a temporary name and renamed, so
 * readers never see a partial file; an existing file is replaced. All dead letters are gathered on
 * one worker: meant for the small numbers a {@link DeadLetterPolicy} allows. Global window only.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PCollection<String>> {
  private static final long serialVersionUID = 1L;

  private final String path;

  private WriteDeadLetters(String path) {
    checkArgument(path != null && !path.isBlank(), "WriteDeadLetters needs a file path, e.g. out/dead-letters.tsv");
    this.path = path;
  }

  /** Writes to {@code path}, e.g. {@code out/dead-letters.tsv} beside the run's results. */
  public static WriteDeadLetters to(String path) {
    return new WriteDeadLetters(path);
  }

  @Override
  public PCollection<String> expand(PCollection<DeadLetter> input) {
    return input
        .apply("GatherDeadLetters", Combine.globally(new CollectToList<>(DeadLetterCoder.of())))
        .apply("WriteTsv", ParDo.of(new WriteFn(path)))
        .setCoder(StringUtf8Coder.of());
  }

  private static final class WriteFn extends DoFn<List<DeadLetter>, String> {
    private static final long serialVersionUID = 1L;
    private final String path;

    WriteFn(String path) {
      this.path = path;
    }

    @ProcessElement
    public void process(@Element List<DeadLetter> deadLetters, OutputReceiver<String> out) throws IOException {
      ResourceId dest = FileSystems.matchNewResource(path, false);
      ResourceId tmp =
          dest.getCurrentDirectory()
              .resolve("." + dest.getFilename() + "." + UUID.randomUUID() + ".tmp", ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
      try (WritableByteChannel ch = FileSystems.create(tmp, "text/tab-separated-values");
          OutputStream os = Channels.newOutputStream(ch)) {
        os.write(DeadLetterTsv.format(deadLetters).getBytes(StandardCharsets.UTF_8));
      }
      FileSystems.rename(List.of(tmp), List.of(dest), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      out.output(dest.toString());
    }
  }
}
