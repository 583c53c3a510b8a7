package io.github.jcacheredis.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/** The smallest Spring Boot application with caching: its package is what the auto-configuration allows. */
@SpringBootApplication
@EnableCaching
public class NotesApplication {
}
