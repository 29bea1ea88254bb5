package io.sagebrush.scheduler.leader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership through a session-level {@code pg_try_advisory_lock} held on a dedicated connection:
 * the replica whose connection holds the lock is the leader until that connection dies or it {@link
 * #close() resigns}. Thread-safe.
 */
public class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final DataSource dataSource;
  private final long key;
  private Connection connection;
  private boolean leader;

  public LeaderElection(DataSource dataSource, long key) {
    this.dataSource = dataSource;
    this.key = key;
  }

  /** True when this replica holds the lock; tries to take it when it does not. */
  public synchronized boolean isLeader() {
    try {
      if (connection != null && !connection.isValid(2)) {
        LOG.warn("Leader lock connection is broken; leadership lost");
        closeQuietly();
      }
      if (connection == null) {
        connection = dataSource.getConnection();
        connection.setAutoCommit(true);
      }
      if (!leader) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
          ps.setLong(1, key);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            leader = rs.getBoolean(1);
          }
        }
        if (leader) {
          LOG.info("This control plane is now the scheduler leader (advisory lock {})", key);
        }
      }
      return leader;
    } catch (SQLException e) {
      LOG.warn("Cannot check the leader lock: {}", e.toString());
      closeQuietly();
      return false;
    }
  }

  /** Gives up leadership and the connection. */
  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (connection != null && leader) {
      // The connection goes back to a pool, so the session lock must be released explicitly.
      try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        ps.setLong(1, key);
        ps.execute();
      } catch (SQLException ignored) {
        // a broken connection released it already
      }
    }
    leader = false;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is gone either way
      }
      connection = null;
    }
  }
}
