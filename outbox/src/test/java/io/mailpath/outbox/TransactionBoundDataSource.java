package io.mailpath.outbox;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What a container's JTA-enlisted data source gives code running in a transaction: every {@code getConnection()}
 * is a handle on the transaction's one connection, and closing a handle leaves the transaction open for whoever
 * commits or rolls it back. Here the test plays the transaction manager, on a real connection with auto-commit off.
 */
final class TransactionBoundDataSource implements DataSource {
    private final Connection transaction;

    TransactionBoundDataSource(Connection transaction) throws SQLException {
        transaction.setAutoCommit(false);
        this.transaction = transaction;
    }

    @Override
    public Connection getConnection() {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            return null;
                        case "commit", "rollback", "setAutoCommit":
                            throw new SQLException(method.getName() + " inside a container-managed transaction");
                        default:
                            try {
                                return method.invoke(transaction, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
