export { createTaxService, type TaxService } from './tax-service.ts';
export { adminTaxRoutes, taxClassCode } from './tax-routes.ts';
export { taxOf, rateFor, STANDARD_TAX_CLASS, SHIPPING_TAX_CLASS, type TaxRate } from './tax-rules.ts';
export { InvoiceRequestSchema, isValidTaxId, type InvoiceRequest } from './invoice-title.ts';
