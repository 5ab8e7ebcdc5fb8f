package io.mailpath.webhooks.readme;

/** Stands for an application's own list of addresses it must not mail again. */
public interface Suppressions {
    void add(String address, String mailId);
}
