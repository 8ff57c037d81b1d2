package dev.front.config;

/**
 * The forwarding headers {@code --trust-proxy-header} may name (docs/forwarded-headers.md, "Options"): each
 * carries one fact, in one syntax. mod_wsgi-express spells them the same way; matching is case-insensitive.
 */
public enum ProxyHeader {
    X_FORWARDED_FOR("X-Forwarded-For", Syntax.ADDRESS_LIST),
    X_REAL_IP("X-Real-IP", Syntax.ADDRESS),
    X_CLIENT_IP("X-Client-IP", Syntax.ADDRESS),
    FORWARDED("Forwarded", Syntax.FORWARDED_FOR),
    X_FORWARDED_PROTO("X-Forwarded-Proto", Syntax.SCHEME),
    X_FORWARDED_SCHEME("X-Forwarded-Scheme", Syntax.SCHEME),
    X_SCHEME("X-Scheme", Syntax.SCHEME),
    X_FORWARDED_SSL("X-Forwarded-Ssl", Syntax.ON_OFF),
    X_FORWARDED_HTTPS("X-Forwarded-HTTPS", Syntax.ON_OFF),
    X_HTTPS("X-HTTPS", Syntax.ON_OFF),
    FRONT_END_HTTPS("Front-End-Https", Syntax.ON_OFF),
    X_FORWARDED_PORT("X-Forwarded-Port", Syntax.PORT),
    X_FORWARDED_HOST("X-Forwarded-Host", Syntax.HOST),
    X_HOST("X-Host", Syntax.HOST);

    /** The one fact a header asserts. */
    public enum Fact { CLIENT_ADDRESS, SCHEME, PORT, HOST }

    /** How a header's value is written. */
    public enum Syntax {
        /** comma list of nodes, one appended per proxy (X-Forwarded-For) */
        ADDRESS_LIST(Fact.CLIENT_ADDRESS),
        /** a single node */
        ADDRESS(Fact.CLIENT_ADDRESS),
        /** RFC 7239 elements; only {@code for=} is read */
        FORWARDED_FOR(Fact.CLIENT_ADDRESS),
        /** {@code http} or {@code https} */
        SCHEME(Fact.SCHEME),
        /** {@code on|true|1} = https, {@code off|false|0} = http */
        ON_OFF(Fact.SCHEME),
        /** a decimal port */
        PORT(Fact.PORT),
        /** {@code host[:port]} */
        HOST(Fact.HOST);

        private final Fact fact;

        Syntax(Fact fact) {
            this.fact = fact;
        }

        public Fact fact() {
            return fact;
        }
    }

    private final String wireName;
    private final Syntax syntax;

    ProxyHeader(String wireName, Syntax syntax) {
        this.wireName = wireName;
        this.syntax = syntax;
    }

    /** The name as proxies usually write it. */
    public String wireName() {
        return wireName;
    }

    public Syntax syntax() {
        return syntax;
    }

    public Fact fact() {
        return syntax.fact();
    }

    /**
     * The header called {@code name}, ignoring case.
     *
     * @throws IllegalArgumentException {@code --trust-proxy-header: NAME (expected: one of ...)}
     */
    public static ProxyHeader of(String name) {
        for (ProxyHeader header : values()) {
            if (header.wireName.equalsIgnoreCase(name)) {
                return header;
            }
        }
        throw new IllegalArgumentException("--trust-proxy-header: " + name + " (expected: one of " + allNames() + ")");
    }

    private static String allNames() {
        StringBuilder names = new StringBuilder();
        for (ProxyHeader header : values()) {
            if (!names.isEmpty()) {
                names.append(", ");
            }
            names.append(header.wireName);
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
