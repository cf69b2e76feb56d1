import { ApiProperty } from '@nestjs/swagger';
import { RequiredText } from '../web-api-params';

export class LoginParams {
  @RequiredText('login', { description: 'Login of a local account', maxLength: 255, example: 'admin' })
  login: string;

  @RequiredText('password', { description: 'Its password', secret: true, maxLength: 1024 })
  password: string;
}

export class ValidateResponse {
  @ApiProperty({ description: 'The request is authenticated' })
  valid: boolean;
}
