/**
 * A bare Spring Boot application returning a fixed answer: the floor of the cost per
 * request.
 */
@NullMarked
package io.softmaxservice.benchmark.floor;

import org.jspecify.annotations.NullMarked;
