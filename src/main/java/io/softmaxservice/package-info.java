/**
 * softmax-service: softmax, its gradient and cross-entropy over HTTP, computed like
 * PyTorch.
 */
@NullMarked
package io.softmaxservice;

import org.jspecify.annotations.NullMarked;
