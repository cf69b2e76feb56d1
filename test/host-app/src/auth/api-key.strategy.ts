import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { HOST_CONFIG, HostConfig } from '../config/host-config';

export interface ApiClient {
  client: string;
}

/** The host's own API keys, under passport's plain `bearer` name, as most Nest backends register theirs. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(@Inject(HOST_CONFIG) private readonly config: HostConfig) {
    super();
  }

  validate(token: string): ApiClient {
    const client = this.config.apiKeys[token];
    if (!client) throw new UnauthorizedException('Unknown API key');
    return { client };
  }
}
