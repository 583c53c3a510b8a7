package io.github.jcacheredis.examples.hibernate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.hibernate.cfg.JdbcSettings;
import org.hibernate.cfg.MappingSettings;
import org.hibernate.cfg.SchemaToolingSettings;

/**
 * The database both instances share: the PostgreSQL at {@code 127.0.0.1:5432/test} (override with
 * the system properties {@code example.jdbc.url}, {@code example.jdbc.user} and
 * {@code example.jdbc.password}) when it answers, else an in-memory H2. Everything lives in a schema
 * of its own, created here and dropped on {@link #close()}, so no other data is ever touched.
 */
public final class Database implements AutoCloseable {

    static final String URL_PROPERTY = "example.jdbc.url";
    static final String USER_PROPERTY = "example.jdbc.user";
    static final String PASSWORD_PROPERTY = "example.jdbc.password";

    private static final String POSTGRESQL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String POSTGRESQL_USER = "postgres";
    private static final int CONNECT_TIMEOUT_SECONDS = 3;

    private final String url;
    private final String user;
    private final String password;
    private final String schema;
    private final String description;

    private Database(String url, String user, String password, String schema, String description) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
        this.description = description;
    }

    /** PostgreSQL if it answers, else H2 in memory; either way with a new, empty schema. */
    public static Database open() {
        String schema = "l2_example_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = System.getProperty(URL_PROPERTY, POSTGRESQL_URL);
        String user = System.getProperty(USER_PROPERTY, POSTGRESQL_USER);
        String password = System.getProperty(PASSWORD_PROPERTY, "");
        Database database;
        if (answers(url, user, password)) {
            database = new Database(url, user, password, schema, "the database at " + url + ", schema " + schema);
        } else {
            String h2 = "jdbc:h2:mem:" + schema + ";DB_CLOSE_DELAY=-1";
            database = new Database(h2, "sa", "", schema, "H2 in memory (no database answered at " + url + ")");
        }
        database.execute("CREATE SCHEMA " + schema);
        return database;
    }

    /** What this is, for people: which database, which schema. */
    public String description() {
        return description;
    }

    /** The schema that holds the tables; Hibernate qualifies table names (and query spaces) with it. */
    public String schema() {
        return schema;
    }

    private boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /**
     * The Hibernate settings for this database. Exactly one instance creates the tables; the
     * others find them.
     */
    public Map<String, Object> hibernateSettings(boolean createTables) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(JdbcSettings.JAKARTA_JDBC_URL, url);
        settings.put(JdbcSettings.JAKARTA_JDBC_USER, user);
        settings.put(JdbcSettings.JAKARTA_JDBC_PASSWORD, password);
        settings.put(JdbcSettings.POOL_SIZE, 4);
        settings.put(MappingSettings.DEFAULT_SCHEMA, schema);
        settings.put(SchemaToolingSettings.JAKARTA_HBM2DDL_DATABASE_ACTION, createTables ? "create" : "none");
        return settings;
    }

    /** Drops the schema and everything in it. */
    @Override
    public void close() {
        execute("DROP SCHEMA " + schema + " CASCADE");
        if (isH2()) {
            execute("SHUTDOWN");
        }
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql.split(" ")[0].toLowerCase(Locale.ROOT) + " on " + description
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean answers(String url, String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            return connection.isValid(CONNECT_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }
}
