// The ONNX versions the studio writes, and why.

/**
 * Operator set 17. Debian's python3-onnx (1.12), which the tests and CI use as the checker, knows
 * opsets up to 17 and rejects newer ones; onnxruntime-node 1.30 runs 7..23, so 17 is the newest both accept.
 * Every op the graph IR uses is final by 17 (LayerNormalization is there too; GroupNormalization,
 * added in 18, is composed from Reduce/Sub/Div anyway).
 */
export const ONNX_OPSET = 17;

/** IR version 8: the one that goes with opset 17 (ONNX 1.12). */
export const ONNX_IR_VERSION = 8;

/** The producer name written into every model. */
export const PRODUCER_NAME = 'Diffusion Studio';
