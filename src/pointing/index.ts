// The pointing layer's public face: the Pointer interface and its implementations, the registry of model families
// and their parsers. OnnxPointer loads onnxruntime-node only when a model is loaded.
export * from './types.js';
export { FAMILIES, FAMILY_NAMES, familyEntry, parseAnswer, type AnswerGrid, type FamilyEntry, type FamilyName } from './families/index.js';
export { parseMolmo, type MolmoFamily, type ParseOptions, type ParsedAnswer } from './parse.js';
export { BALANCE_POLICIES, type BalancePolicy } from './endpoint-pool.js';
export { ClickPointer, type ClickPixel } from './click-pointer.js';
export { MolmoPointer, type MolmoPointerOptions } from './molmo-client.js';
export { DEFAULT_PROMPTS, renderPrompt } from './prompts.js';
export { OnnxPointer } from './onnx-pointer.js';
export { OnnxManifestError, parseManifest, type OnnxManifest } from './onnx/manifest.js';
