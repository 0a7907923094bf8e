/**
 * Support code that generated companions call: shape checks with clear errors, and the shape
 * computations of the reverse pass (summing an adjoint back to an operand's shape, undoing a
 * reduction), each with a fast path when shapes already agree. Not meant to be called by users.
 */
package dev.tapeless.runtime.support;
