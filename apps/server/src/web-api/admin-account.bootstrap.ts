import { Injectable, Logger } from '@nestjs/common';
import { AdminBootstrapResult, LocalAccountsService } from '@nest-scim/auth';
import { DomainRuleError } from '@nest-scim/identity';

/**
 * First start: when no active administrator exists, creates the local `admin` account with the configured password,
 * or with a generated one written once to the log. Several instances starting at once create it once.
 */
@Injectable()
export class AdminAccountBootstrap {
  private readonly logger = new Logger('FirstStart');

  constructor(private readonly accounts: LocalAccountsService) {}

  async ensureAdminAccount(password: string | undefined): Promise<AdminBootstrapResult> {
    let result: AdminBootstrapResult;
    try {
      result = await this.accounts.ensureAdminAccount({ password });
    } catch (error) {
      // The password rules are the product's; the operator must learn which variable broke them.
      if (error instanceof DomainRuleError && error.code === 'invalid') {
        throw new Error(`ADMIN_PASSWORD is not accepted: ${error.message}`);
      }
      throw error;
    }
    if (!result.created) return result;
    if (result.generatedPassword) {
      // Warn level, so it is seen unless logs are turned down to errors; it is never written anywhere else.
      this.logger.warn(
        `Created the local administrator '${result.login}' with the generated password: ${result.generatedPassword} ` +
          '(shown once; set ADMIN_PASSWORD before the first start to choose it)',
      );
    } else {
      this.logger.log(`Created the local administrator '${result.login}' with the password from ADMIN_PASSWORD`);
    }
    return result;
  }
}
