package io.mailpath.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailpath.Mail;
import io.mailpath.SendingDomainException;
import io.mailpath.spi.config.ConfigReader;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A stream's sending-domain guard on the From addresses people write. */
class SendingDomainGuardTest {
    private static StreamRoute marketing(String fromDomains) {
        ConfigReader keys = ConfigReader.of(Map.of("mailpath.stream.marketing.from-domains", fromDomains))
                .inStream("marketing");
        return new StreamRoute("marketing", new RoutingConfig(keys), TransportRegistry.of("marketing", keys), 0);
    }

    private static Mail from(String email) {
        return Mail.builder()
                .from(email)
                .to("user@example.com")
                .subject("Guard")
                .text("Hello")
                .build();
    }

    /** One domain written two ways (Unicode or its A-label, FQDN trailing dot, case): the same domain, admitted. */
    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "bücher.de; news@xn--bcher-kva.de",
                "xn--bcher-kva.de; news@bücher.de",
                "BÜCHER.DE; news@bücher.de",
                "news.example.com.; a@news.example.com",
                "News.Example.COM; a@NEWS.example.com",
                "news.example.com; \"a@evil.test\"@news.example.com"
            })
    void theSameDomainWrittenAnotherWayIsAdmitted(String fromDomains, String from) {
        assertThat(marketing(fromDomains).admit(from(from)).stream()).isEqualTo("marketing");
    }

    /** Another domain is refused however it is written, a quoted local part holding an '@' included. */
    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "news.example.com; \"a@news.example.com\"@evil.test",
                "news.example.com; a@example.com",
                "news.example.com; a@mail.news.example.com",
                "bücher.de; a@xn--bcher-kva.com"
            })
    void anotherDomainIsRefused(String fromDomains, String from) {
        assertThatThrownBy(() -> marketing(fromDomains).admit(from(from))).isInstanceOf(SendingDomainException.class);
    }
}
