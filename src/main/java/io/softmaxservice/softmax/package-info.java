/**
 * {@code POST /softmax}: softmax and log-softmax along an axis.
 */
@NullMarked
package io.softmaxservice.softmax;

import org.jspecify.annotations.NullMarked;
