import { sql, type RawBuilder } from 'kysely';

/**
 * Which price a shopper pays for a variant: the lowest of its catalog price and every entry of an
 * active price list that applies — to everyone (a sale) or to a group the customer is in (会员价),
 * at this moment (inside the list's window), in this currency, for at least this many units (a
 * quantity tier). The lowest wins, so a member never pays more during a sale than a guest.
 */
export interface PricingContext {
  customerId: string | null;
  at: Date;
}

/**
 * A lateral subquery for the best applicable entry (`amount`, `price_list_id`, `compare_at`),
 * none when no list applies. `variant`, `quantity` and `currency` are SQL expressions of the
 * statement it is joined into.
 */
export function bestListEntry(variant: RawBuilder<unknown>, quantity: RawBuilder<unknown>, currency: RawBuilder<unknown>, context: PricingContext): RawBuilder<unknown> {
  const member = context.customerId
    ? sql`or exists (select 1 from customer_group_members m where m.group_id = pl.group_id and m.customer_id = ${context.customerId})`
    : sql``;
  return sql`(
    select pp.amount, pp.price_list_id, pp.compare_at
    from price_list_prices pp
    join price_lists pl on pl.tenant_id = pp.tenant_id and pl.id = pp.price_list_id
    where pp.variant_id = ${variant} and pp.min_quantity <= ${quantity} and pl.status = 'active' and pl.currency = ${currency}
      and (pl.starts_at is null or pl.starts_at <= ${context.at}::timestamptz) and (pl.ends_at is null or pl.ends_at > ${context.at}::timestamptz)
      and (pl.group_id is null ${member})
    order by pp.amount, pp.price_list_id
    limit 1)`;
}
