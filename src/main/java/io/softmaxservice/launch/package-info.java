/**
 * How {@code java -jar} starts the service: from the jar's classes and nested jars
 * unpacked once onto a plain class path, with Spring Boot's own launcher as the fallback.
 */
@NullMarked
package io.softmaxservice.launch;

import org.jspecify.annotations.NullMarked;
