package io.mailpath.outbox.cdi;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;
import javax.naming.spi.InitialContextFactory;

/**
 * The JNDI names a server would bind, in the test JVM ({@code jndi.properties} makes this the initial context):
 * tests bind what the outbox looks up, and every lookup of an unbound name fails as a server's does.
 */
public class TestNaming implements InitialContextFactory {
    private static final Map<String, Object> BOUND = new ConcurrentHashMap<>();

    static void bind(String name, Object value) {
        BOUND.put(name, value);
    }

    static void unbind(String name) {
        BOUND.remove(name);
    }

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
        return (Context) Proxy.newProxyInstance(
                Context.class.getClassLoader(), new Class<?>[] {Context.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "lookup":
                            String name = String.valueOf(args[0]);
                            Object found = BOUND.get(name);
                            if (found == null) {
                                throw new NameNotFoundException(name + " is not bound");
                            }
                            return found;
                        case "close":
                            return null;
                        default:
                            throw new OperationNotSupportedException(method.getName());
                    }
                });
    }
}
