package dev.front.staticfiles;

import java.util.regex.Pattern;

/**
 * Cache-Control by file name. A fingerprinted name (Django's ManifestStaticFilesStorage writes {@code app.3f2a1b9c8d7e.js},
 * webpack {@code main.1a2b3c4d.js} or {@code main-1a2b3c4d.js}) changes whenever its content does, so caches may keep
 * it for a year without revalidating; anything else gets a short lifetime and is revalidated with its ETag.
 */
final class CachePolicy {

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String SHORT = "public, max-age=60";

    /**
     * 8+ hex characters between a {@code .} or {@code -} and the extension. At least one of them must be a letter:
     * an all-digit run is far more often a date or a version ({@code report-20240101.pdf}) than a hash, and wrongly
     * calling a name immutable pins stale content for a year, while missing a real hash only costs a revalidation.
     */
    private static final Pattern FINGERPRINT =
            Pattern.compile("^.+[.-](?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\.[A-Za-z0-9]+$");

    private CachePolicy() {
    }

    static String cacheControl(String fileName) {
        return FINGERPRINT.matcher(fileName).matches() ? IMMUTABLE : SHORT;
    }
}
