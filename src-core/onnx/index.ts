// Public surface of the ONNX layer: the writer (the reader and the studio format are imported from their own modules).
export { writeOnnx, toModelObject } from './writer';
