package io.mailpath.outbox.property;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mailpath.testing.peers.PostgresServer;
import java.nio.file.Path;
import javax.sql.DataSource;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The generated chains on a real PostgreSQL server (the test kit's {@link PostgresServer}, its own one under
 * {@code target/postgresql-properties}): the claim with {@code FOR UPDATE SKIP LOCKED}. Connections come from a pool,
 * as in a server: opening one per statement would make each run some seconds long.
 */
@Tag("slow")
class OutboxPropertiesOnPostgresqlTest extends OutboxChainProperties {
    private static PostgresServer server;
    private static DataSource dataSource;

    @Override
    synchronized DataSource dataSource() {
        if (dataSource == null) {
            server = PostgresServer.start(Path.of("target", "postgresql-properties"));
            HikariConfig pool = new HikariConfig();
            pool.setJdbcUrl(server.jdbcUrl());
            pool.setUsername(server.user());
            pool.setMaximumPoolSize(8);
            pool.setPoolName("outbox-properties");
            dataSource = new HikariDataSource(pool);
        }
        return dataSource;
    }

    @AfterContainer
    static synchronized void stopServer() {
        if (server != null) {
            ((HikariDataSource) dataSource).close();
            server.close();
            server = null;
            dataSource = null;
        }
    }
}
