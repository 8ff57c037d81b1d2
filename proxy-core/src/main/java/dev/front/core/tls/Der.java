package dev.front.core.tls;

import java.io.ByteArrayOutputStream;

/**
 * The little DER the front needs to wrap a PKCS#1 or SEC1 private key as PKCS#8: writing a tag-length-value, and
 * finding one element of a SEQUENCE. Nothing more, so that no ASN.1 library is needed.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} explicit, constructed: SEC1's curve parameters. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    static byte[] tlv(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * The whole element (tag, length and value) with {@code tag} directly inside the SEQUENCE that {@code der}
     * starts with, or {@code null} when there is none.
     *
     * @throws IllegalArgumentException {@code der} is not a well-formed SEQUENCE
     */
    static byte[] child(byte[] der, int tag) {
        if (der.length < 2 || (der[0] & 0xFF) != SEQUENCE) {
            throw new IllegalArgumentException("not a DER SEQUENCE");
        }
        int[] header = header(der, 0);
        int at = header[0];
        int end = at + header[1];
        if (end > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        while (at < end) {
            int[] element = header(der, at);
            int next = element[0] + element[1];
            if (next > end) {
                throw new IllegalArgumentException("truncated DER");
            }
            if ((der[at] & 0xFF) == tag) {
                byte[] copy = new byte[next - at];
                System.arraycopy(der, at, copy, 0, copy.length);
                return copy;
            }
            at = next;
        }
        return null;
    }

    /** The value of a single element. */
    static byte[] value(byte[] element) {
        int[] header = header(element, 0);
        byte[] copy = new byte[header[1]];
        System.arraycopy(element, header[0], copy, 0, copy.length);
        return copy;
    }

    /** {where the value starts, its length} of the element at {@code at}. */
    private static int[] header(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int first = der[at + 1] & 0xFF;
        if (first < 0x80) {
            return new int[]{at + 2, first};
        }
        int count = first & 0x7F;
        if (count == 0 || count > 3 || at + 2 + count > der.length) {
            throw new IllegalArgumentException("unsupported DER length");
        }
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = length << 8 | (der[at + 2 + i] & 0xFF);
        }
        return new int[]{at + 2 + count, length};
    }
}
