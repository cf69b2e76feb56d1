import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { SamlAuthnRequestEntity } from './saml-authn-request.entity';
import { SAML_REQUEST_LIFETIME_MS } from './saml-sign-in.constants';
import type { SamlMessagesRepository } from './saml-messages.repository';
import type { SamlRequestPurpose } from './saml-sign-in.types';

/**
 * node-saml's store of sent request IDs (what makes its InResponseTo check work), kept in the database so that any
 * instance can receive the answer. One is made per sign-in start or per response, which lets it carry the purpose of
 * the request it saves and remember the request a response turned out to answer.
 */
export class SamlRequestCache implements CacheProvider {
  /** The pending request a response's InResponseTo named, once node-saml looked it up. */
  answered: SamlAuthnRequestEntity | null = null;

  constructor(
    private readonly repository: SamlMessagesRepository,
    private readonly purpose: SamlRequestPurpose,
  ) {}

  async saveAsync(key: string, value: string): Promise<CacheItem> {
    const now = new Date();
    await this.repository.saveRequest(key, this.purpose, now, new Date(now.getTime() + SAML_REQUEST_LIFETIME_MS));
    return { value, createdAt: now.getTime() };
  }

  async getAsync(key: string): Promise<string | null> {
    const request = await this.repository.findPendingRequest(key, new Date());
    if (!request) return null;
    this.answered ??= request;
    return request.createdAt.toISOString();
  }

  async removeAsync(key: string | null): Promise<string | null> {
    if (!key) return null;
    await this.repository.removeRequest(key);
    return key;
  }
}
