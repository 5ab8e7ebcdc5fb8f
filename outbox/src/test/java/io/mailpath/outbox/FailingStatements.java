package io.mailpath.outbox;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * A real data source whose statements fail on demand: while armed, executing a prepared statement whose SQL matches
 * the predicate throws an {@link SQLException} (SQLState 08006, a lost connection) without reaching the database.
 * Everything else goes to the database unchanged.
 */
final class FailingStatements {
    private final DataSource database;
    private volatile Predicate<String> failing = sql -> false;

    FailingStatements(DataSource database) {
        this.database = database;
    }

    /** From now on, statements whose SQL matches fail. */
    void fail(Predicate<String> which) {
        failing = which;
    }

    /** Statements run again. */
    void heal() {
        failing = sql -> false;
    }

    DataSource dataSource() {
        return proxy(DataSource.class, database, (target, method, args) -> {
            Object result = method.invoke(target, args);
            return result instanceof Connection c ? connection(c) : result;
        });
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, real, (target, method, args) -> {
            Object result = method.invoke(target, args);
            if (result instanceof PreparedStatement ps && args != null && args[0] instanceof String sql) {
                return statement(ps, sql);
            }
            return result;
        });
    }

    private PreparedStatement statement(PreparedStatement real, String sql) {
        return proxy(PreparedStatement.class, real, (target, method, args) -> {
            if (method.getName().startsWith("execute") && failing.test(sql)) {
                throw new SQLException("injected: connection lost (" + sql + ")", "08006");
            }
            return method.invoke(target, args);
        });
    }

    @FunctionalInterface
    private interface Call<T> {
        Object call(T target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T target, Call<T> call) {
        InvocationHandler handler = (p, method, args) -> {
            try {
                return call.call(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(
                Proxy.newProxyInstance(FailingStatements.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
