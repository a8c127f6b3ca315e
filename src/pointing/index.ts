// The pointing layer's public face: the Pointer interface and its implementations, and the Molmo parser.
// OnnxPointer loads onnxruntime-node only when a model is loaded.
export * from './types.js';
export { parseMolmo, type MolmoFamily, type ParseOptions, type ParsedAnswer } from './parse.js';
export { ClickPointer, type ClickPixel } from './click-pointer.js';
export { MolmoPointer, type MolmoPointerOptions } from './molmo-client.js';
export { DEFAULT_PROMPTS, renderPrompt } from './prompts.js';
export { OnnxPointer } from './onnx-pointer.js';
export { OnnxManifestError, parseManifest, type OnnxManifest } from './onnx/manifest.js';
