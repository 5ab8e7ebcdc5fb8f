package io.mailpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "user@example.com",
                "first.last+tag@sub.example.co.uk",
                "o'brien@example.ie",
                "\"john doe\"@example.com",
                "user@[192.168.0.1]",
                "user@bücher.example",
                "x@localhost"
            })
    void acceptsValidAddresses(String email) {
        assertThat(Address.of(email).email()).isEqualTo(email);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plainaddress",
                "@example.com",
                "user@",
                "user@@example.com",
                "user.@example.com",
                ".user@example.com",
                "us..er@example.com",
                "user@-example.com",
                "user@example..com",
                "user@example.com.",
                "user name@example.com",
                "user@exa mple.com",
                "Name <user@example.com>",
                "user@example.com,other@example.com",
                "üser@example.com",
                "user@[999.1.1.1]"
            })
    void rejectsInvalidAddresses(String email) {
        assertThatThrownBy(() -> Address.of(email)).isInstanceOf(InvalidMailException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@example.com\r\nBcc: x@example.org", "a@example.com\n", "a\r@example.com"})
    void rejectsLineBreaks(String email) {
        assertThatThrownBy(() -> Address.of(email))
                .isInstanceOf(InvalidMailException.class)
                .hasMessageContaining("line break");
    }

    @org.junit.jupiter.api.Test
    void rejectsOverlongParts() {
        assertThatThrownBy(() -> Address.of("a".repeat(65) + "@example.com")).isInstanceOf(InvalidMailException.class);
        assertThatThrownBy(() -> Address.of("a@" + "b".repeat(250) + ".com")).isInstanceOf(InvalidMailException.class);
    }

    @org.junit.jupiter.api.Test
    void blankNameMeansNoName() {
        assertThat(Address.of("a@example.com", "  ").name()).isNull();
        assertThat(Address.of("a@example.com", "Ann").toString()).isEqualTo("\"Ann\" <a@example.com>");
    }
}
