package io.mailpath.outbox.property;

import io.mailpath.testing.PostgresServer;
import java.nio.file.Path;
import javax.sql.DataSource;
import net.jqwik.api.lifecycle.AfterContainer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The generated chains on a real PostgreSQL server (the test kit's {@link PostgresServer}, its own one under
 * {@code target/postgresql-properties}): the claim with {@code FOR UPDATE SKIP LOCKED}.
 */
class OutboxPropertiesOnPostgresqlTest extends OutboxChainProperties {
    private static PostgresServer server;
    private static DataSource dataSource;

    @Override
    synchronized DataSource dataSource() {
        if (dataSource == null) {
            server = PostgresServer.start(Path.of("target", "postgresql-properties"));
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(server.jdbcUrl());
            ds.setUser(server.user());
            dataSource = ds;
        }
        return dataSource;
    }

    @AfterContainer
    static synchronized void stopServer() {
        if (server != null) {
            server.close();
            server = null;
            dataSource = null;
        }
    }
}
