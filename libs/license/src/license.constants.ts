/** Injection tokens of the license module: the resolved options and the DataSource it stores the license in. */
export const LICENSE_MODULE_OPTIONS = 'LicenseModuleOptions';
export const LICENSE_DATA_SOURCE = 'LicenseDataSource';

/** A valid license is "expiring soon" when it expires within this many days, so the admin page can warn early. */
export const LICENSE_EXPIRING_SOON_DAYS = 30;
