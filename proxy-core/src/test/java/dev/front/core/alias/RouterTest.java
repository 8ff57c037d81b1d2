package dev.front.core.alias;

import static org.assertj.core.api.Assertions.assertThat;

import dev.front.config.Alias;
import dev.front.core.http.RequestTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Alias statics = Alias.of("/static", "/srv/static");
    private final Alias images = Alias.of("/static/img", "/srv/img");
    private final Router router = new Router(List.of(statics, images));

    private AliasRequest route(String target) throws Exception {
        return router.route(RequestTarget.parse(target));
    }

    @Test
    void matchesWholeSegmentsOnly() throws Exception {
        assertThat(route("/static")).isEqualTo(new AliasRequest(statics, "", null));
        assertThat(route("/static/")).isEqualTo(new AliasRequest(statics, "/", null));
        assertThat(route("/static/app.js?v=2")).isEqualTo(new AliasRequest(statics, "/app.js", "v=2"));
        assertThat(route("/staticfoo/app.js")).isNull();
        assertThat(route("/stati")).isNull();
    }

    @Test
    void longestAliasWinsWhateverTheOrder() throws Exception {
        assertThat(route("/static/img/a.png")).isEqualTo(new AliasRequest(images, "/a.png", null));
        assertThat(new Router(List.of(images, statics)).route(RequestTarget.parse("/static/img/a.png")).alias())
                .isEqualTo(images);
        assertThat(route("/static/imgs/a.png").alias()).isEqualTo(statics);
    }

    @Test
    void decidesOnTheNormalisedPath() throws Exception {
        assertThat(route("/static/../app")).isNull();
        assertThat(route("/app/../static/x").subPath()).isEqualTo("/x");
        assertThat(route("/static/img/../a").alias()).isEqualTo(statics);
    }

    @Test
    void aRootAliasTakesEverything() throws Exception {
        Alias root = Alias.of("/", "/srv/site");
        assertThat(new Router(List.of(root)).route(RequestTarget.parse("/a/b"))).isEqualTo(new AliasRequest(root, "/a/b", null));
    }
}
