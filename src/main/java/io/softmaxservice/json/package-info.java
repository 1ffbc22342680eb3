/**
 * JSON at the speed of the bytes: request bodies scanned straight into tensors, answers
 * written straight from them as shortest round-trip decimals.
 */
@NullMarked
package io.softmaxservice.json;

import org.jspecify.annotations.NullMarked;
