package tejido;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Starts an in-process Neo4j 5 Community with Bolt on 127.0.0.1:PORT and a data directory,
 * prints "READY bolt://127.0.0.1:PORT" once it accepts queries, and stops when its standard
 * input closes: the parent test process dying therefore never leaves a Neo4j behind.
 *
 * <p>Usage: java -cp ... tejido.Neo4jLauncher PORT DATA_DIR
 */
public final class Neo4jLauncher {
  private Neo4jLauncher() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    Path home = Path.of(args[1]);
    DatabaseManagementService dbms =
        new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
            .setConfig(HttpConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            // Small heap-friendly settings: the suite runs on 2 cores beside FalkorDB.
            .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
            // A throwaway store in a temp dir: no 250 MB of preallocated transaction logs.
            .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
            // Netty's graceful shutdown waits a 5 s quiet period per event loop group (10 s
            // in all) although the test process has closed its connections by then.
            .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
            .setConfig(
                GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
            .build();
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
    System.out.println("READY bolt://127.0.0.1:" + port);
    System.out.flush();
    InputStream in = System.in;
    while (in.read() != -1) {
      // Wait for the parent to close our standard input.
    }
    dbms.shutdown();
  }
}
