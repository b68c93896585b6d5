// The committed schema (src-core/onnx/onnx-schema.json) agrees with the system's onnx.proto, field by field.
import { readFileSync, writeFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import committed from '../../src-core/onnx/onnx-schema.json';
import { PYTHON_ONNX, SYSTEM_ONNX_PROTO as SYSTEM_PROTO, have } from '../prerequisites';

const SCHEMA_JSON = new URL('../../src-core/onnx/onnx-schema.json', import.meta.url);

/** message.field -> "id type rule" for every field of every message. */
function fieldTable(root: protobuf.Root): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type) {
        for (const f of child.fieldsArray) out.set(`${child.fullName}.${f.name}`, `${f.id} ${f.type} ${f.repeated ? 'repeated' : 'single'}`);
      }
      if (child instanceof protobuf.Namespace) walk(child);
    }
  };
  walk(root);
  return out;
}

describe.runIf(have(PYTHON_ONNX))('onnx-schema.json', () => {
  it('every committed field exists in the system onnx.proto with the same id and type', () => {
    const system = protobuf.parse(readFileSync(SYSTEM_PROTO, 'utf8'), { keepCase: true }).root;
    // Rewrite: UPDATE_ONNX_SCHEMA=1 npx vitest run test/onnx/onnx-schema.test.ts
    if (process.env.UPDATE_ONNX_SCHEMA === '1') writeFileSync(SCHEMA_JSON, `${JSON.stringify(system.toJSON(), null, 1)}\n`);
    const sys = fieldTable(system);
    const ours = fieldTable(protobuf.Root.fromJSON(committed));
    expect(ours.size).toBeGreaterThan(50);
    for (const [name, desc] of ours) expect(`${name}: ${sys.get(name)}`).toBe(`${name}: ${desc}`);
  });
});
