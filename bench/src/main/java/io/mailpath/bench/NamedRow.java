package io.mailpath.bench;

/** A row's name, label and concurrency; subclasses say how it runs. */
public abstract class NamedRow implements Row {
    private final String id;
    private final String label;
    private final int threads;

    protected NamedRow(String id, String label, int threads) {
        this.id = id;
        this.label = label;
        this.threads = threads;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public int threads() {
        return threads;
    }
}
