package dev.front.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteOptionsTest {

    @TempDir
    Path app;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(app.resolve("static/errors"));
        Files.writeString(app.resolve("static/errors/502.html"), "<p>{error_id}</p>\n");
        Files.createDirectories(app.resolve("htdocs"));
        Files.writeString(app.resolve("htdocs/503.html"), "<p>busy</p>\n");
        Files.writeString(app.resolve("outside.html"), "<p>outside</p>\n");
    }

    private SiteConfig site(String... args) throws UsageException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("wsgi.py");
        return ((CommandLineParser.Outcome.Run) CommandLineParser.parse(all, Map.of(), app)).config().site();
    }

    private List<String> problems(String... args) {
        try {
            site(args);
            return List.of();
        } catch (UsageException e) {
            return e.problems();
        }
    }

    @Test
    void theServerNameAndItsAliasesMatchWithoutCaseOrATrailingDot() throws Exception {
        SiteConfig site = site("--server-name", "WWW.Example.com", "--server-alias", "*.example.org",
                "--server-alias", "api-?.example.net");
        assertThat(site.servesHost("www.example.com")).isTrue();
        assertThat(site.servesHost("www.EXAMPLE.com.")).isTrue();
        assertThat(site.servesHost("a.b.example.org")).isTrue();
        assertThat(site.servesHost("api-1.example.net")).isTrue();
        assertThat(site.servesHost("example.org")).isFalse();
        assertThat(site.servesHost("api-12.example.net")).isFalse();
        assertThat(site.servesHost("www.example.com.evil")).isFalse();
        assertThat(site.servesHost("a".repeat(300) + ".example.org")).isFalse();
        assertThat(site("--port", "1").servesHost("anything")).as("no --server-name").isTrue();
    }

    @Test
    void badValuesAreOneLineEach() {
        assertThat(problems("--server-name", "www.example.com:80")).singleElement().asString()
                .startsWith("--server-name: www.example.com:80 (expected:");
        assertThat(problems("--server-name", "*.example.com")).singleElement().asString()
                .startsWith("--server-name: *.example.com (expected:");
        assertThat(problems("--server-alias", "x.example")).singleElement().asString()
                .isEqualTo("--server-alias: given without --server-name (expected: --server-name NAME too)");
        assertThat(problems("--allow-localhost")).singleElement().asString()
                .startsWith("--allow-localhost: given without --server-name");
        assertThat(problems("--mount-point", "/a/../b")).singleElement().asString().startsWith("--mount-point:");
        assertThat(problems("--mount-point", "/a%2Fb")).singleElement().asString().startsWith("--mount-point:");
        assertThat(problems("--document-root", "missing")).containsExactly("--document-root: missing (expected: a"
                + " directory)");
        assertThat(problems("--max-clients", "0")).containsExactly("--max-clients: 0 (expected: a whole number, 1"
                + " or more)");
        assertThat(problems("--error-document", "302", "/x.html")).singleElement().asString()
                .startsWith("--error-document: 302 (expected: a status from 400 to 599");
        assertThat(problems("--mount-point", "/app", "--server", "uvicorn")).singleElement().asString()
                .startsWith("--mount-point: /app (expected: --server gunicorn, waitress, uwsgi or mod_wsgi;");
    }

    @Test
    void theMountPointIsNormalisedTheWayModWsgiExpressDoes() throws Exception {
        assertThat(site("--mount-point", "app/").mountPoint()).isEqualTo("/app");
        assertThat(site("--mount-point", "/").mounted()).isFalse();
    }

    @Test
    void anErrorDocumentIsFoundThroughTheAliasesThenTheDocumentRootAndReadAtStart() throws Exception {
        SiteConfig site = site("--url-alias", "/static", "static", "--document-root", "htdocs",
                "--error-document", "502", "/static/errors/502.html", "--error-document", "503", "/503.html");
        assertThat(site.errorDocuments().get(502).html()).isEqualTo("<p>{error_id}</p>\n");
        assertThat(site.errorDocuments().get(503).html()).isEqualTo("<p>busy</p>\n");
        for (String unserved : List.of("/static/missing.html", "/outside.html", "/static/../outside.html",
                "/static/errors", "static/errors/502.html")) {
            assertThat(problems("--url-alias", "/static", "static", "--error-document", "500", unserved))
                    .as(unserved).containsExactly("--error-document: " + unserved + " (expected: the URL path of a"
                            + " file served by a --url-alias or the --document-root)");
        }
    }
}
