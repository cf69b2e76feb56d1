import { BadRequestException } from '@nestjs/common';

/** Why a license key was refused at installation. */
export type LicenseKeyRejection = 'malformed' | 'tampered' | 'untrusted' | 'expired';

/**
 * A license key that cannot be installed. A Nest 400 by default; `reason` lets an API or a CLI react to the cause
 * without parsing the message.
 */
export class LicenseKeyRejectedError extends BadRequestException {
  constructor(
    readonly reason: LicenseKeyRejection,
    message: string,
    /** For `malformed`: what is wrong with the key, without the leading sentence. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'LicenseKeyRejectedError';
  }

  static malformed(detail: string): LicenseKeyRejectedError {
    return new LicenseKeyRejectedError('malformed', `The license key is malformed: ${detail}`, detail);
  }

  static tampered(): LicenseKeyRejectedError {
    return new LicenseKeyRejectedError(
      'tampered',
      'The license key signature is invalid: the key was altered after it was signed',
    );
  }

  static untrusted(): LicenseKeyRejectedError {
    return new LicenseKeyRejectedError('untrusted', 'The license key is not signed by a trusted key');
  }

  static expired(expiresAt: Date): LicenseKeyRejectedError {
    return new LicenseKeyRejectedError('expired', licenseExpiredMessage(expiresAt));
  }
}

/** "The license expired on 2027-12-31": the UTC day is precise enough for an admin and the same on every server. */
export function licenseExpiredMessage(expiresAt: Date): string {
  return `The license expired on ${expiresAt.toISOString().slice(0, 10)}`;
}
