import { FieldSelection, type SelectableNode } from '../../src/console/web/pages/consumers/field-selection.js';

// The grant editor's field tree: what is picked reads back as a grant's `fields`.
const tree: SelectableNode[] = [
  { path: 'personalId' },
  { path: 'fullName' },
  {
    path: 'permanentResidence',
    children: [{ path: 'permanentResidence.provinceCode' }, { path: 'permanentResidence.communeCode' }, { path: 'permanentResidence.detail' }],
  },
  {
    path: 'father',
    children: [{ path: 'father.fullName' }, { path: 'father.address', children: [{ path: 'father.address.provinceCode' }, { path: 'father.address.detail' }] }],
  },
];

describe('FieldSelection', () => {
  it('reads back the picked leaves in tree order, whatever order they were picked in', () => {
    const selection = new FieldSelection(tree);
    selection.toggle('permanentResidence.provinceCode');
    selection.toggle('fullName');
    expect(selection.fields()).toEqual(['fullName', 'permanentResidence.provinceCode']);
    expect(selection.state('permanentResidence')).toBe('mixed');
    expect(selection.state('permanentResidence.communeCode')).toBe('unchecked');
  });

  it('names a group once all of it is picked, and each remaining member once one is unpicked', () => {
    const selection = new FieldSelection(tree);
    for (const path of ['permanentResidence.provinceCode', 'permanentResidence.communeCode', 'permanentResidence.detail']) selection.toggle(path);
    expect(selection.fields()).toEqual(['permanentResidence']);
    expect(selection.state('permanentResidence')).toBe('checked');
    selection.toggle('permanentResidence.communeCode');
    expect(selection.fields()).toEqual(['permanentResidence.provinceCode', 'permanentResidence.detail']);
  });

  it('picks a group whole, settles ancestors several levels up, and a partly picked group toggles to fully picked', () => {
    const selection = new FieldSelection(tree);
    selection.toggle('father.address');
    expect(selection.fields()).toEqual(['father.address']);
    expect(selection.state('father')).toBe('mixed');
    selection.toggle('father.fullName');
    expect(selection.fields()).toEqual(['father']);
    selection.toggle('father.address.detail');
    expect(selection.fields()).toEqual(['father.fullName', 'father.address.provinceCode']);
    expect(selection.state('father.address')).toBe('mixed');
    selection.toggle('father');
    expect(selection.fields()).toEqual(['father']);
    selection.toggle('father');
    expect(selection.fields()).toEqual([]);
  });

  it('shows a saved grant as it was written, and keeps paths the tree does not know until dropped', () => {
    const selection = new FieldSelection(tree, ['permanentResidence', 'father.address.detail', 'formerName']);
    expect(selection.state('permanentResidence.detail')).toBe('checked');
    expect(selection.state('father')).toBe('mixed');
    expect(selection.state('father.address')).toBe('mixed');
    expect(selection.unknown).toEqual(['formerName']);
    expect(selection.fields()).toEqual(['permanentResidence', 'father.address.detail', 'formerName']);
    selection.dropUnknown();
    expect(selection.fields()).toEqual(['permanentResidence', 'father.address.detail']);
  });

  it('does not turn the all-fields marker into a field', () => {
    const selection = new FieldSelection(tree, ['*']);
    expect(selection.fields()).toEqual([]);
    expect(selection.unknown).toEqual([]);
  });
});
