import { typeid } from 'typeid-js';

/**
 * IDs are prefixed, time-ordered strings (TypeID: prefix + UUIDv7 in base32), so that a log line
 * or a support ticket says what kind of object it names and rows sort by creation time.
 */
export type IdPrefix =
  | 'ten'
  | 'cus'
  | 'stf'
  | 'ses'
  | 'tok'
  | 'prod'
  | 'var'
  | 'cat'
  | 'wh'
  | 'res'
  | 'mov'
  | 'cart'
  | 'cpn'
  | 'ord'
  | 'pay'
  | 'ref'
  | 'evt'
  | 'fs'
  | 'pwr';

export function newId(prefix: IdPrefix): string {
  return typeid(prefix).toString();
}
