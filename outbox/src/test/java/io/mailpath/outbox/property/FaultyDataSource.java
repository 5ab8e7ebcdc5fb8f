package io.mailpath.outbox.property;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose statements fail when the script says: {@link #failStatement(int)} makes the n-th statement the
 * outbox executes from now on (a query, an update, a batch, or a commit) throw an {@link SQLException} instead of
 * running, as a database that lost its connection or timed out does. Everything else reaches the real database.
 */
final class FaultyDataSource implements DataSource {
    private static final Set<String> EXECUTIONS =
            Set.of("execute", "executeQuery", "executeUpdate", "executeBatch", "executeLargeUpdate", "commit");

    private final DataSource database;
    private final Consumer<String> onFailure;
    private int countdown;

    /** @param onFailure told what failed, each time a statement is made to fail */
    FaultyDataSource(DataSource database, Consumer<String> onFailure) {
        this.database = database;
        this.onFailure = onFailure;
    }

    /** The {@code n}-th statement from now (1 = the next) fails; replaces what was armed before. */
    synchronized void failStatement(int n) {
        countdown = n;
    }

    /** No statement fails any more. */
    synchronized void disarm() {
        countdown = 0;
    }

    /** Whether this execution is the one to fail; counts it. */
    private synchronized boolean failsNow() {
        if (countdown <= 0) {
            return false;
        }
        return --countdown == 0;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(database.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(database.getConnection(username, password));
    }

    private Connection wrap(Connection real) {
        return proxy(Connection.class, real, null);
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T real, String sql) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            String text = sql;
            if (EXECUTIONS.contains(method.getName())) {
                if (text == null && args != null && args.length > 0 && args[0] instanceof String s) {
                    text = s;
                }
                if (failsNow()) {
                    String what = method.getName() + (text == null ? "" : " of " + text);
                    onFailure.accept(what);
                    throw new SQLTransientConnectionException("injected by the script: " + what, "08006");
                }
            }
            Object result = invoke(method, real, args);
            if (result instanceof PreparedStatement ps && method.getName().startsWith("prepare")) {
                return proxy(PreparedStatement.class, ps, (String) args[0]);
            }
            if (result instanceof Statement s && method.getName().equals("createStatement")) {
                return proxy(Statement.class, s, null);
            }
            return result;
        });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return database.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        database.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        database.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return database.getLoginTimeout();
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
