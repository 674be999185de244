package io.slaft.model.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.slaft.model.backbone.BackboneConfig;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModuleLayoutTest {
  private static final BackboneConfig TINY = BackboneConfig.tiny(3, 16, 2, 40);

  private static SearchSpace space(Set<Site> sites, boolean bitfit) {
    return new SearchSpace(sites, List.of(), 4, 2, 4f, List.of(Activation.RELU), false, bitfit, false, false, 0.02f);
  }

  @Test
  void oneBiasModulePerLayerHoldsExactlyBitFitsDeltasOfThatLayer() {
    ModuleLayout bias = new ModuleLayout(space(EnumSet.of(Site.BIAS), false), TINY);
    ModuleLayout bitfit = new ModuleLayout(space(Set.of(), true), TINY);
    assertEquals(TINY.layers(), bias.size());
    assertEquals(bitfit.bitfitParams(), bias.poolParams(), "the bias pool is BitFit, split into gated layers");
    assertEquals(5L * TINY.hidden() + TINY.intermediate(), bias.modules().get(0).params());
    assertEquals(-1, bias.modules().get(0).bottleneckIndex());
    assertEquals(0, bias.bottleneckCount());
    assertEquals("l2.bias", bias.modules().get(2).id());
  }

  @Test
  void biasModulesFollowTheAdapterSitesOfTheirLayerAndAreNotInTheDefaultPool() {
    ModuleLayout all = new ModuleLayout(space(EnumSet.complementOf(EnumSet.of(Site.FUSION)), false), TINY);
    assertEquals(List.of(Site.ATTN, Site.FFN, Site.PARALLEL, Site.LORA, Site.BIAS),
        all.modules().subList(0, 5).stream().map(ModuleLayout.Module::site).toList());
    assertEquals(3, all.bottleneckCount() / TINY.layers());
    assertFalse(SearchSpace.full(8, 2).sites().contains(Site.BIAS));
    assertFalse(Site.DEFAULT_POOL.contains(Site.BIAS));
  }

  @Test
  void aPrefixModuleCountsTheKeysAndValuesItServesAndIsOptIn() {
    ModuleLayout prefix = new ModuleLayout(space(EnumSet.of(Site.PREFIX), false), TINY);
    assertEquals(TINY.layers(), prefix.size());
    assertEquals(2L * SearchSpace.DEFAULT_PREFIX_LENGTH * TINY.hidden(), prefix.modules().get(0).params(),
        "served size: prefix_length keys and values; the MLP is folded away");
    assertEquals(-1, prefix.modules().get(0).bottleneckIndex());
    assertEquals("l1.prefix", prefix.modules().get(1).id());
    assertFalse(Site.DEFAULT_POOL.contains(Site.PREFIX));
    assertEquals(EnumSet.of(Site.PREFIX), Method.PREFIX.space(SearchSpace.full(8, 2)).sites());
  }

  /** Checkpoint fingerprints are built from a space's text: without fusion sources it reads as before fusion existed. */
  @Test
  void aSpaceWithoutFusionSourcesReadsAsBeforeFusionExisted() {
    SearchSpace space = new SearchSpace(EnumSet.of(Site.ATTN, Site.LORA), List.of(2), 4, 2, 4f, List.of(Activation.RELU),
        false, false, false, false, 0.02f);
    assertEquals("SearchSpace[sites=[ATTN, LORA], layers=[2], bottleneck=4, loraRank=2, loraAlpha=4.0, activations=[RELU],"
        + " channelGates=false, bitfit=false, exampleGates=false, fullModel=false, initScale=0.02, prefixLength=10,"
        + " prefixHidden=128]", space.toString());
  }
}
