/**
 * What every endpoint shares at the HTTP level: problem details, limits, load shedding,
 * metrics, OpenAPI.
 */
@NullMarked
package io.softmaxservice.system;

import org.jspecify.annotations.NullMarked;
