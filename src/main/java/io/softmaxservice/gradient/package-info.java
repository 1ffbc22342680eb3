/**
 * {@code POST /softmax/grad}: the vector-Jacobian product and Jacobian of softmax and
 * log-softmax.
 */
@NullMarked
package io.softmaxservice.gradient;

import org.jspecify.annotations.NullMarked;
