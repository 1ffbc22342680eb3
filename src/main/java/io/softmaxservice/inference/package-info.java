/**
 * The Open Inference Protocol (KServe v2, Triton, Seldon MLServer REST API): the
 * service's computations served as models, read into the same request records as the JSON
 * endpoints and computed by the same validators and kernels.
 */
@NullMarked
package io.softmaxservice.inference;

import org.jspecify.annotations.NullMarked;
