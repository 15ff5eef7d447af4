package dev.hutong.openapi.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The gateway's JSON: strict reading of biz_content; compact writing of responses.
 *
 * <p>Responses never rely on \\uXXXX escapes for text: the SDK's JSON reader (JSONReader.unicode
 * in 4.40.734) decodes a hex letter a-f or A-F as its value minus 20, so any escape with a letter
 * in it arrives as a different character. Text is written raw and encoded in the response
 * charset; a char that charset cannot carry becomes '?', which is also what the SDK does to such
 * chars in requests.
 */
final class Json {
  /** Business arguments are shallow; deep nesting only costs the parser. */
  static final int NESTING_DEPTH_MAX = 32;

  static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(NESTING_DEPTH_MAX)
              .build())
          .build())
      // {"a":1,"a":2} has no single meaning; refuse rather than pick one silently.
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      // Money never passes through a double.
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private Json() {}
}
