/** The bodies the Web API's POST routes read, as the product's forms and scripts send them. */
export const FORM_OR_JSON = ['application/x-www-form-urlencoded', 'application/json'] as const;

/** Injection token of the resolved WebApiModule options. */
export const WEB_API_OPTIONS = Symbol('WEB_API_OPTIONS');
