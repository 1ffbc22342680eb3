/**
 * {@code POST /cross-entropy}: PyTorch's cross-entropy loss and its gradient.
 */
@NullMarked
package io.softmaxservice.crossentropy;

import org.jspecify.annotations.NullMarked;
