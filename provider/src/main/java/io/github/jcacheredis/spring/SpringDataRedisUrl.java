package io.github.jcacheredis.spring;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code redis://} URL that Spring Data Redis's {@code spring.data.redis.*} settings describe:
 * {@code url} as given (with {@code rediss} when {@code ssl.enabled}), else one built from
 * {@code host}, {@code port}, {@code username}, {@code password}, {@code database} and
 * {@code ssl.enabled}, as Spring Boot reads them. Read from the Environment, so Spring Data Redis
 * need not be on the class path. Cluster and sentinel settings have no {@code redis://} form;
 * they give no URL (a Redisson config file in {@code spring.cache.jcache.config} covers them).
 */
final class SpringDataRedisUrl {

    private static final String PREFIX = "spring.data.redis.";

    private SpringDataRedisUrl() {
    }

    static Optional<String> from(Environment environment) {
        Binder binder = Binder.get(environment);
        boolean ssl = value(binder, "ssl.enabled", Boolean.class).orElse(false);
        Optional<String> url = value(binder, "url", String.class).map(String::strip).filter(u -> !u.isEmpty());
        if (url.isPresent()) {
            return url.map(u -> ssl && u.startsWith("redis://") ? "rediss://" + u.substring("redis://".length()) : u);
        }
        Optional<String> host = value(binder, "host", String.class);
        Optional<Integer> port = value(binder, "port", Integer.class);
        Optional<String> username = value(binder, "username", String.class);
        Optional<String> password = value(binder, "password", String.class);
        Optional<Integer> database = value(binder, "database", Integer.class);
        if (host.isEmpty() && port.isEmpty() && username.isEmpty() && password.isEmpty() && database.isEmpty() && !ssl) {
            return Optional.empty();
        }
        StringBuilder built = new StringBuilder(ssl ? "rediss://" : "redis://");
        if (password.isPresent()) {
            built.append(username.map(SpringDataRedisUrl::encode).orElse("")).append(':')
                    .append(encode(password.get())).append('@');
        }
        String hostName = host.orElse("localhost");
        built.append(hostName.contains(":") ? "[" + hostName + "]" : hostName).append(':').append(port.orElse(6379));
        database.filter(db -> db != 0).ifPresent(db -> built.append('/').append(db));
        return Optional.of(built.toString());
    }

    private static <T> Optional<T> value(Binder binder, String name, Class<T> type) {
        return Optional.ofNullable(binder.bind(PREFIX + name, type).orElse(null));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
