package dev.front.core.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderElementsTest {

    private static List<String> rightToLeft(String... lines) {
        HeaderElements elements = new HeaderElements(List.of(lines));
        List<String> seen = new ArrayList<>();
        while (elements.previous()) {
            seen.add(elements.text().substring(elements.start(), elements.end()));
        }
        return seen;
    }

    @Test
    void walksLinesAndCommaElementsFromTheRight() {
        assertThat(rightToLeft("a, b", "c", "d ,e")).containsExactly("e", "d", "c", "b", "a");
    }

    @Test
    void skipsEmptyElementsAndTrimsSpacesAndTabs() {
        assertThat(rightToLeft(" ,\t a b ,,", "", " ", ",")).containsExactly("a b");
        assertThat(rightToLeft()).isEmpty();
        assertThat(HeaderElements.last(List.of("x", ", y ,"))).isEqualTo("y");
        assertThat(HeaderElements.last(List.of(" , "))).isNull();
    }
}
