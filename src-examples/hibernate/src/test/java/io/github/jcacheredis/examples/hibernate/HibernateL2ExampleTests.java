package io.github.jcacheredis.examples.hibernate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the example as the README does and checks what it reports. */
class HibernateL2ExampleTests {

    @Test
    void instanceBReadsWhatInstanceAWroteFromTheCacheWithoutSql() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new HibernateL2Example(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(printed.contains("-> The Left Hand of Darkness (second-level cache hits 1, SQL statements 0)"),
                printed);
        assertTrue(printed.contains("-> The Left Hand of Darkness (natural-id cache hits 1, SQL statements 0)"),
                printed);
        assertTrue(printed.contains("-> [The Left Hand of Darkness] (query cache hits 1, SQL statements 0)"), printed);
        assertTrue(printed.contains("\nl2-example:io.github.jcacheredis.examples.hibernate.Book:#j:{"), printed);
    }
}
