package io.slaft.runners.tracking;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Debian's {@code chromium} in headless mode, for the tests that check what a person sees in a
 * browser: a page's rendered text after its scripts ran ({@code --dump-dom}) and a screenshot.
 * The binary is {@code $SLAFT_CHROMIUM}, else the first of {@code chromium}, {@code
 * chromium-browser}, {@code google-chrome} on the PATH; none found is an error that says how to
 * install one ({@code .ci/run} does).
 */
final class HeadlessChromium {

  private static final Pattern SCRIPTS = Pattern.compile("(?s)<(script|style)\\b.*?</\\1>");
  private static final Pattern TAGS = Pattern.compile("(?s)<[^>]*>");
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final long PAGE_TIMEOUT_S = 120;

  private final Path binary;
  private final Path profile;

  private HeadlessChromium(Path binary, Path profile) {
    this.binary = binary;
    this.profile = profile;
  }

  /** The browser found on this machine, with a fresh profile under {@code work}. */
  static HeadlessChromium find(Path work) throws IOException {
    String given = System.getenv("SLAFT_CHROMIUM");
    List<Path> candidates = new ArrayList<>();
    if (given != null && !given.isBlank()) {
      candidates.add(Path.of(given));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        candidates.add(Path.of(dir, name));
      }
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c)) {
        Path profile = work.resolve("chromium-profile");
        Files.createDirectories(profile);
        return new HeadlessChromium(c, profile);
      }
    }
    throw new IllegalStateException("no Chromium found (SLAFT_CHROMIUM, or chromium / chromium-browser / google-chrome on the PATH);"
        + " install Debian's: apt-get install -y chromium (.ci/run does this when it is missing)");
  }

  /** The visible text of {@code page} once its scripts ran for up to {@code budgetMs} of virtual time, whitespace collapsed. */
  String text(URI page, int budgetMs) throws IOException, InterruptedException {
    String dom = run(List.of("--virtual-time-budget=" + budgetMs, "--dump-dom", page.toString()));
    String text = TAGS.matcher(SCRIPTS.matcher(dom).replaceAll(" ")).replaceAll(" ");
    text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'").replace("&amp;", "&");
    return SPACE.matcher(text).replaceAll(" ").strip();
  }

  /** Saves a PNG of {@code page} as rendered after {@code budgetMs} of virtual time. */
  Path screenshot(URI page, int budgetMs, Path png) throws IOException, InterruptedException {
    Files.createDirectories(png.getParent());
    Files.deleteIfExists(png);
    run(List.of("--virtual-time-budget=" + budgetMs, "--screenshot=" + png.toAbsolutePath(), page.toString()));
    if (!Files.isRegularFile(png)) {
      throw new IllegalStateException("Chromium wrote no screenshot of " + page + " to " + png);
    }
    return png;
  }

  private String run(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--window-size=1400,1100",
        "--user-data-dir=" + profile.toAbsolutePath()));
    cmd.addAll(args);
    Path log = Files.createTempFile(profile, "chromium", ".log");
    Path out = Files.createTempFile(profile, "chromium", ".out");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    if (!p.waitFor(PAGE_TIMEOUT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("Chromium did not finish within " + PAGE_TIMEOUT_S + " s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("Chromium exited " + p.exitValue() + " for " + cmd + ":\n" + Files.readString(log));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
