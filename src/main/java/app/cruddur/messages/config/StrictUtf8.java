package app.cruddur.messages.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Lets the JSON parser see only well-formed UTF-8 (RFC 3629). Jackson's own UTF-8 decoding is
 * lenient: it reads the overlong {@code C0 BC} as {@code <} and passes stray bytes in field names,
 * so a body could carry text that no UTF-8 check upstream would have let through. The bytes are
 * decoded once with a decoder that reports every malformed sequence (overlong forms, encoded
 * surrogates, code points past U+10FFFF, stray or cut-short sequences); a body that fails is a
 * parse error, which the REST layer answers as 400 {@code malformed_body}.
 *
 * <p>A request body is at most {@code quarkus.http.limits.max-body-size} and already in memory
 * when the parser runs (or read on a worker thread, as the parser itself would read it), so reading
 * it whole first blocks nothing the parser would not.
 */
final class StrictUtf8 extends InputDecorator {

    private static final long serialVersionUID = 1L;

    @Override
    public InputStream decorate(IOContext context, InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        check(bytes, 0, bytes.length);
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public InputStream decorate(IOContext context, byte[] source, int offset, int length) throws IOException {
        check(source, offset, length);
        return null; // parse the array itself
    }

    @Override
    public Reader decorate(IOContext context, Reader reader) {
        return reader; // characters, decoded by whoever made them
    }

    static void check(byte[] bytes, int offset, int length) throws JsonParseException {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
        } catch (CharacterCodingException e) {
            throw new JsonParseException(null, "The body is not well-formed UTF-8");
        }
    }
}
