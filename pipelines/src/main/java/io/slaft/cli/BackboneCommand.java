package io.slaft.cli;

import io.slaft.model.backbone.Backbone;
import io.slaft.model.backbone.BackboneConfig;
import io.slaft.model.verify.BackboneParity;
import io.slaft.model.verify.ParityReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code slaft backbone info|verify}. */
@Command(name = "backbone", description = "Inspect and verify the frozen backbone.",
    subcommands = {BackboneCommand.Info.class, BackboneCommand.Verify.class})
public final class BackboneCommand {

  @Command(name = "info", mixinStandardHelpOptions = true, description = "Print the backbone's shape read from its model file.")
  static final class Info implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin BackboneOptions backbone;

    @Override
    public Integer call() {
      global.apply();
      Backbone b = Backbone.load(backbone.source(), backbone.maxLength);
      BackboneConfig c = b.config();
      System.out.printf("backbone %s%n  file       %s%n  tokenizer  %s%n  layers     %d%n  hidden     %d%n"
              + "  heads      %d x %d%n  ffn        %d%n  vocab      %d (tokenizer %d)%n  positions  %d%n"
              + "  parameters %,d%n  pooling    %s%n  digest     %s%n",
          b.name(), b.onnxFile(), b.tokenizer().file(), c.layers(), c.hidden(), c.heads(), c.headDim(),
          c.intermediate(), c.vocabSize(), b.tokenizer().vocabSize(), c.maxPositions(), c.parameterCount(),
          b.pooling().name().toLowerCase(java.util.Locale.ROOT), b.weights().digest().substring(0, 16));
      return ExitCode.OK;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Compare slaft's TensorFlow encoder with ONNX Runtime on the same token ids.",
          "Exits 1 when cosine_min < 0.99999 or max_abs_diff > 1e-4 (with --precision bf16: cosine_min < 0.999)."})
  static final class Verify implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin BackboneOptions backbone;

    @Override
    public Integer call() {
      global.apply();
      Backbone b = backbone.load(backbone.maxLength);
      ParityReport r = BackboneParity.run(b, msg -> System.err.println("  " + msg));
      System.out.printf("cases %d, token vectors compared %d, precision %s, thresholds cosine >= %s, max abs diff <= %s%n",
          r.cases(), r.tokens(), r.precision().id(), ParityReport.cosineMin(r.precision()),
          ParityReport.maxAbsDiff(r.precision()));
      System.out.println(r.line());
      return r.passes() ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
  }
}
