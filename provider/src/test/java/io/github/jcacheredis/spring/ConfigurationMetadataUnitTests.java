package io.github.jcacheredis.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jcacheredis.config.ProviderSettings;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * IDEs complete {@code jcache-redis.*} from the configuration metadata in the jar: every provider
 * setting is there, described.
 */
class ConfigurationMetadataUnitTests {

    @Test
    void everyProviderSettingIsAnApplicationPropertyWithADescription() throws IOException {
        JsonNode metadata;
        try (InputStream in = Objects.requireNonNull(getClass().getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json"), "no configuration metadata")) {
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            names.add(property.get("name").asText());
            assertFalse(property.path("description").asText().isBlank(), property.toString());
        }
        assertEquals(ProviderSettings.KEYS.stream().map(key -> "jcache-redis." + key).sorted().toList(),
                names.stream().sorted().toList());
    }
}
