import { pick, type Presentation } from './catalog-views.ts';
import type { AttributeChoice, AttributeRecord, CollectionRecord } from './discovery-store.ts';
import type { FacetCount, FacetFilters } from './faceted-listing.ts';

export interface FacetGroupView {
  /** The query key that filters by it: `attr.brand`, `option.colour`, `price`, `inStock`. */
  key: string;
  kind: 'attribute' | 'option' | 'price' | 'inStock';
  code: string;
  /** The attribute's name in the shopper's locale; for options and the rest, the code (the UI names them). */
  name: string;
  values: { value: string; label: string; count: number; selected: boolean }[];
}

/** Facet counts grouped for a sidebar, attribute facets first in the staff's order, names localized. */
export function facetGroupsView(counts: FacetCount[], attributes: AttributeRecord[], filters: FacetFilters, view: Presentation): FacetGroupView[] {
  const byCode = new Map(attributes.map((attribute) => [attribute.code, attribute]));
  const groups = new Map<string, FacetGroupView>();
  for (const count of counts) {
    const [kind, code = ''] = count.facet.split(':') as [FacetGroupView['kind'], string?];
    let group = groups.get(count.facet);
    if (!group) {
      const attribute = byCode.get(code);
      const key = kind === 'attribute' ? `attr.${code}` : kind === 'option' ? `option.${code}` : kind;
      group = { key, kind, code: code || kind, name: attribute ? pick(attribute.name, view.locale) : code || kind, values: [] };
      groups.set(count.facet, group);
    }
    const selected =
      kind === 'attribute' ? (filters.attributes[code]?.includes(count.value) ?? false)
      : kind === 'option' ? (filters.options[code]?.includes(count.value) ?? false)
      : kind === 'price' ? filters.priceRanges.some((range) => `${range.min}-${range.max ?? ''}` === count.value)
      : filters.inStock;
    const choice = byCode.get(code)?.choices.find((candidate) => candidate.value === count.value);
    group.values.push({ value: count.value, label: choice ? pick(choice.name, view.locale) : count.value, count: count.count, selected });
  }
  const rank = (group: FacetGroupView) =>
    group.kind === 'attribute' ? (byCode.get(group.code)?.position ?? 0) : group.kind === 'option' ? 1e6 : group.kind === 'price' ? 2e6 : 3e6;
  const ordered = [...groups.values()].sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code));
  for (const group of ordered) {
    if (group.kind === 'price') group.values.sort((a, b) => Number(a.value.split('-')[0]) - Number(b.value.split('-')[0]));
  }
  return ordered;
}

export function storeCollectionView(collection: CollectionRecord, view: Presentation) {
  return {
    id: collection.id,
    slug: collection.slug,
    title: pick(collection.title, view.locale),
    description: pick(collection.description, view.locale),
    kind: collection.kind,
  };
}

export function storeChoiceView(choice: AttributeChoice, view: Presentation) {
  return { value: choice.value, name: pick(choice.name, view.locale) };
}

export function storeAttributeView(attribute: AttributeRecord, view: Presentation) {
  return {
    code: attribute.code,
    name: pick(attribute.name, view.locale),
    kind: attribute.kind,
    choices: attribute.choices.map((choice) => storeChoiceView(choice, view)),
  };
}
