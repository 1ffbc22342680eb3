/**
 * NumPy's file formats on the wire: {@code .npy} and {@code .npz} request bodies bound
 * into the endpoints' request records, answers written as {@code .npy} or {@code .npz},
 * and the content negotiation between them and JSON.
 */
@NullMarked
package io.softmaxservice.numpy;

import org.jspecify.annotations.NullMarked;
