import { fullNameOf, type PersonName, type SeededPerson } from './people.js';

/**
 * How legacy national systems hold a person's name: some records were keyed
 * in upper case without diacritics, some with the whole name in the given
 * name. Every sandbox prints a seeded person's name the same way.
 */

/** Legacy records were keyed in upper case without diacritics ('Đ' becomes 'D'). */
export function toUpperAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toUpperCase();
}

/** The name parts as the person's record holds them (family, middle, given). */
export function recordedNameParts(person: SeededPerson): PersonName {
  const { name } = person;
  switch (person.nameRecording) {
    case 'standard':
      return { ...name };
    case 'upper-ascii':
      return { family: toUpperAscii(name.family), middle: toUpperAscii(name.middle), given: toUpperAscii(name.given) };
    case 'whole-name-in-given':
      return { family: '', middle: '', given: fullNameOf(name).toLocaleUpperCase('vi') };
  }
}

/** The full name as an upstream would print it: the recorded parts joined. */
export function recordedFullName(person: SeededPerson): string {
  return fullNameOf(recordedNameParts(person));
}
