import { Invalid, type FieldError } from '../../platform/errors.ts';
import type { AttributeRecord } from './discovery-store.ts';

/**
 * A product's attribute values checked against the platform's attributes: each code must be an
 * attribute, a choice attribute takes one of its values, a number attribute an integer.
 */
export function checkedAttributeValues(
  attributes: AttributeRecord[],
  values: Record<string, string | number>,
): { attributeId: string; valueText: string | null; valueNumber: number | null }[] {
  const byCode = new Map(attributes.map((attribute) => [attribute.code, attribute]));
  const unknown: FieldError[] = [];
  const invalid: FieldError[] = [];
  const rows = [];
  for (const [code, value] of Object.entries(values)) {
    const path = `body.attributes.${code}`;
    const attribute = byCode.get(code);
    if (!attribute) {
      unknown.push({ path, message: 'no such attribute' });
    } else if (attribute.kind === 'number') {
      if (typeof value !== 'number') invalid.push({ path, message: 'a number' });
      else rows.push({ attributeId: attribute.id, valueText: null, valueNumber: value });
    } else if (typeof value !== 'string' || !attribute.choices.some((choice) => choice.value === value)) {
      invalid.push({ path, message: `one of ${attribute.choices.map((choice) => choice.value).join(', ')}` });
    } else {
      rows.push({ attributeId: attribute.id, valueText: value, valueNumber: null });
    }
  }
  if (unknown.length > 0) throw new Invalid('unknown_attribute', 'The product names attributes this platform does not have.', unknown);
  if (invalid.length > 0) throw new Invalid('invalid_attribute_value', 'An attribute value does not fit its attribute.', invalid);
  return rows;
}
