package io.mailpath.outbox.cdi;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The test plays the container's transaction manager: a transaction is bound to the thread that began it, every
 * connection that thread takes from {@link #dataSource()} is a handle on the transaction's one connection, and commit
 * or rollback ends it and then calls the interposed synchronizations as a JTA transaction manager does. Other threads
 * (the relay's) get connections of their own, in auto-commit.
 */
final class TestTransactions implements TransactionSynchronizationRegistry {
    private final DataSource database;
    private final ThreadLocal<Transaction> current = new ThreadLocal<>();

    private static final class Transaction {
        final Connection connection;
        final Map<Object, Object> resources = new HashMap<>();
        final List<Synchronization> synchronizations = new ArrayList<>();
        boolean rollbackOnly;

        Transaction(Connection connection) {
            this.connection = connection;
        }
    }

    TestTransactions(DataSource database) {
        this.database = database;
    }

    void begin() throws SQLException {
        Connection c = database.getConnection();
        c.setAutoCommit(false);
        current.set(new Transaction(c));
    }

    void commit() throws SQLException {
        Transaction t = active();
        t.synchronizations.forEach(Synchronization::beforeCompletion);
        end(t, true);
    }

    void rollback() throws SQLException {
        end(active(), false);
    }

    private void end(Transaction t, boolean commit) throws SQLException {
        current.remove();
        try (Connection c = t.connection) {
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
        }
        int status = commit ? Status.STATUS_COMMITTED : Status.STATUS_ROLLEDBACK;
        t.synchronizations.forEach(s -> s.afterCompletion(status));
    }

    /** The data source a server would bind: enlisted in the calling thread's transaction when it has one. */
    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Transaction t = current.get();
                    if (method.getName().equals("getConnection") && t != null) {
                        return handle(t.connection);
                    }
                    return call(method, database, args);
                });
    }

    /** A handle whose close leaves the transaction's connection open for the commit. */
    private static Connection handle(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getName().equals("close") ? null : call(method, connection, args));
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Transaction active() {
        Transaction t = current.get();
        if (t == null) {
            throw new IllegalStateException("no transaction on this thread");
        }
        return t;
    }

    @Override
    public Object getTransactionKey() {
        return current.get();
    }

    @Override
    public void putResource(Object key, Object value) {
        active().resources.put(key, value);
    }

    @Override
    public Object getResource(Object key) {
        return active().resources.get(key);
    }

    @Override
    public void registerInterposedSynchronization(Synchronization sync) {
        active().synchronizations.add(sync);
    }

    @Override
    public int getTransactionStatus() {
        Transaction t = current.get();
        if (t == null) {
            return Status.STATUS_NO_TRANSACTION;
        }
        return t.rollbackOnly ? Status.STATUS_MARKED_ROLLBACK : Status.STATUS_ACTIVE;
    }

    @Override
    public void setRollbackOnly() {
        active().rollbackOnly = true;
    }

    @Override
    public boolean getRollbackOnly() {
        return active().rollbackOnly;
    }
}
