package io.slaft.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * JSON documents that carry their own content checksum, for files that must stay readable JSON
 * (step-cache results, committed bench cells). The document is a JSON object whose last field,
 * {@value #FIELD}, is the SHA-256 of the object without that field in compact form; {@link #read}
 * recomputes it. Written with {@link AtomicFiles}.
 */
public final class SealedJson {
  /** The checksum field, always last. */
  public static final String FIELD = "sha256";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SealedJson() {}

  /** Writes {@code doc} (which must not have a {@value #FIELD} field) with its checksum. */
  public static void write(Path file, ObjectNode doc) throws FileWriteException {
    if (doc.has(FIELD)) {
      throw new IllegalArgumentException("a sealed document must not carry its own " + FIELD + " field");
    }
    String text;
    try {
      // Checksum what a reader will parse: one round trip normalises values JSON cannot hold as
      // given (NaN becomes the string "NaN", a float its decimal form).
      ObjectNode sealed = (ObjectNode) JSON.readTree(JSON.writeValueAsString(doc));
      sealed.put(FIELD, checksum(sealed));
      text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sealed) + "\n";
      ObjectNode back = (ObjectNode) JSON.readTree(text);
      back.remove(FIELD);
      if (!checksum(back).equals(sealed.get(FIELD).asText())) {
        throw new IllegalStateException("a sealed document did not verify after writing it; this is a bug");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize the document: " + e.getOriginalMessage(), e);
    }
    AtomicFiles.writeString(file, text);
  }

  /**
   * Reads and verifies {@code file}; returns the document without the checksum field.
   *
   * @throws CorruptFileException when it is not a JSON object, has no checksum, or the checksum
   *     does not match; {@code remedy} is what the user should do
   */
  public static ObjectNode read(Path file, String remedy) throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new CorruptFileException(file, "not valid JSON (" + e.getOriginalMessage() + ")", remedy);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new CorruptFileException(file, "not UTF-8 text", remedy);
    }
    if (!(node instanceof ObjectNode doc)) {
      throw new CorruptFileException(file, "not a JSON object", remedy);
    }
    JsonNode written = doc.remove(FIELD);
    if (written == null || !written.isTextual()) {
      throw new CorruptFileException(file, "no " + FIELD + " field (written by a slaft without checksums?)", remedy);
    }
    String actual = checksum(doc);
    if (!actual.equals(written.asText())) {
      throw new CorruptFileException(file, "content checksum mismatch (" + FIELD + " " + abbreviate(written.asText())
          + "…, content has " + abbreviate(actual) + "…)", remedy);
    }
    return doc;
  }

  private static String abbreviate(String hex) {
    return hex.length() > 16 ? hex.substring(0, 16) : hex;
  }

  static String checksum(ObjectNode doc) {
    try {
      byte[] compact = JSON.writeValueAsBytes(doc);
      return HexFormat.of().formatHex(Sealed.newDigest().digest(compact));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize the document: " + e.getOriginalMessage(), e);
    }
  }

  /** The mapper used for sealed documents (plain Jackson defaults). */
  public static ObjectMapper mapper() {
    return JSON;
  }
}
