package dev.front.staticfiles;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** File-name driven decisions: Content-Type and Cache-Control. */
class NamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            app.js              | text/javascript; charset=utf-8
            APP.JS              | text/javascript; charset=utf-8
            mod.mjs             | text/javascript; charset=utf-8
            site.css            | text/css; charset=utf-8
            index.html          | text/html; charset=utf-8
            notes.txt           | text/plain; charset=utf-8
            data.json           | application/json
            logo.svg            | image/svg+xml
            app.wasm            | application/wasm
            font.woff2          | font/woff2
            site.webmanifest    | application/manifest+json
            photo.JPEG          | image/jpeg
            archive.tar.gz      | application/gzip
            README              | application/octet-stream
            trailing.           | application/octet-stream
            weird.exe           | application/octet-stream
            """)
    void contentType(String name, String type) {
        assertThat(MimeTypes.of(name)).isEqualTo(type);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            app.3f2a1b9c8d7e.js       | public, max-age=31536000, immutable
            main-1a2b3c4d.css         | public, max-age=31536000, immutable
            chunk.0123456789abcdef0123.js | public, max-age=31536000, immutable
            logo.DEADBEEF.svg         | public, max-age=31536000, immutable
            app.js                    | public, max-age=60
            app.1a2b3c4.js            | public, max-age=60
            report-20240101.pdf       | public, max-age=60
            app.3f2a1b9c8d7e          | public, max-age=60
            deadbeef12.js             | public, max-age=60
            app.3g2a1b9c8d7e.js       | public, max-age=60
            """)
    void cacheControl(String name, String value) {
        assertThat(CachePolicy.cacheControl(name)).isEqualTo(value);
    }
}
