package dev.front.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateMappingTest {

    private final CertificateMapping mapping = new CertificateMapping(List.of(
            new CertificateMapping.Entry(null, List.of("a.test", "www.a.test")),
            new CertificateMapping.Entry(null, List.of("*.b.test")),
            new CertificateMapping.Entry(null, List.of("exact.b.test"))));

    @Test
    void anExactNameWinsOverAWildcardEvenOfAnEarlierCertificate() {
        assertThat(mapping.index("www.a.test")).isEqualTo(0);
        assertThat(mapping.index("exact.b.test")).isEqualTo(2);
        assertThat(mapping.index("other.b.test")).isEqualTo(1);
    }

    @Test
    void aWildcardCoversOneLabelOnly() {
        assertThat(mapping.index("b.test")).isEqualTo(0);
        assertThat(mapping.index("x.y.b.test")).isEqualTo(0);
    }

    @Test
    void noNameOrAnUnknownOneGetsTheFirst() {
        assertThat(mapping.index(null)).isEqualTo(0);
        assertThat(mapping.index("")).isEqualTo(0);
        assertThat(mapping.index("c.test")).isEqualTo(0);
    }
}
