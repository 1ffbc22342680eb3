/**
 * Tensors, masks and dtypes, their JSON readers and writers, and the rules every endpoint
 * shares.
 */
@NullMarked
package io.softmaxservice.tensor;

import org.jspecify.annotations.NullMarked;
