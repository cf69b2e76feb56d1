import { InternalPropertyEntity } from './provisioning/internal-property.entity';
import { SamlSettingEntity } from './settings/saml-setting.entity';
import { SamlAuthnRequestEntity } from './sign-in/saml-authn-request.entity';
import { SamlMessageIdEntity } from './sign-in/saml-message-id.entity';

/**
 * Tables: `saml_settings` (the SAML settings), `internal_properties` (the provisioning mode, `scim.enabled` unless
 * named), and for the sign-in `saml_authn_requests` (requests awaiting their answer) and `saml_message_ids`
 * (assertions already used).
 */
export const SAML_ENTITIES = [SamlSettingEntity, InternalPropertyEntity, SamlAuthnRequestEntity, SamlMessageIdEntity];
