// Public surface of the ONNX layer: the writer, the reader and the versions written.
export { ONNX_IR_VERSION, ONNX_OPSET, PRODUCER_NAME } from './constants';
export { writeOnnx, toModelObject, littleEndianBytes, type OnnxWriteOptions } from './writer';
export { readOnnx, initializerFloat32, type OnnxInitializer, type OnnxModelInfo, type OnnxNodeInfo, type OnnxValueInfo } from './reader';
