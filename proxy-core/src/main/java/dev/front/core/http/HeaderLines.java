package dev.front.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a message's header lines as Netty's encoders do ({@code name: value CRLF}, the same bytes), but copies a
 * {@code String} value in one block instead of one char at a time: the decoder makes every value it parses a
 * {@code String}, and copying them char by char was the larger part of encoding a head. A char above {@code 0xFF}
 * becomes {@code '?'}, as in Netty's encoder, so no value can turn into a line break.
 */
public final class HeaderLines {

    private static final short COLON_SPACE = (short) ((':' << 8) | ' ');
    private static final short CRLF = (short) (('\r' << 8) | '\n');

    private HeaderLines() {
    }

    public static void encode(HttpHeaders headers, ByteBuf buf) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            CharSequence name = header.getKey();
            CharSequence value = header.getValue();
            buf.ensureWritable(name.length() + value.length() + 4);
            write(buf, name);
            buf.writeShort(COLON_SPACE);
            write(buf, value);
            buf.writeShort(CRLF);
        }
    }

    private static void write(ByteBuf buf, CharSequence text) {
        if (text instanceof AsciiString ascii) {
            buf.writeBytes(ascii.array(), ascii.arrayOffset(), ascii.length());
        } else if (text instanceof String string) {
            buf.writeBytes(string.getBytes(StandardCharsets.ISO_8859_1)); // unmappable chars become '?'
        } else {
            ByteBufUtil.writeAscii(buf, text);
        }
    }
}
