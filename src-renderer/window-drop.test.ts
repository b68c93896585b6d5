// Where a file dropped on the window goes.
import { describe, expect, it } from 'vitest';
import { dropTarget } from './window-drop';

const lone = (name: string) => ({ name, path: '' });

describe('dropTarget', () => {
  it('sends data files and images to the import, a lone model to Sample', () => {
    for (const name of ['points.csv', 'X.NPY', 'rows.json', 'a.tsv']) expect(dropTarget([lone(name)])).toEqual({ kind: 'data' });
    expect(dropTarget([lone('a.png'), lone('b.jpg')])).toEqual({ kind: 'data' });
    expect(dropTarget([{ name: 'a.png', path: 'digits/3/a.png' }])).toEqual({ kind: 'data' });
    expect(dropTarget([lone('net.onnx')])).toEqual({ kind: 'model' });
    expect(dropTarget([lone('NET.ONNX')])).toEqual({ kind: 'model' });
  });

  it('refuses anything else, naming the files and what the studio takes', () => {
    const refused = dropTarget([lone('notes.pdf'), lone('b.docx'), lone('c.zip')]);
    expect(refused.kind).toBe('refused');
    expect(refused.kind === 'refused' && refused.message).toBe(
      'The studio cannot open notes.pdf, b.docx, …: it imports .csv, .tsv, .json and .npy data files and PNG/JPEG images, and opens .onnx models in Sample.',
    );
    expect(dropTarget([lone('a.onnx'), lone('b.csv')])).toEqual({ kind: 'refused', message: 'a.onnx: drop one .onnx model by itself to open it in Sample.' });
    expect(dropTarget([{ name: 'a.onnx', path: 'models/a.onnx' }]).kind).toBe('refused');
    expect(dropTarget([]).kind).toBe('refused');
  });
});
