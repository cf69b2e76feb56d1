import { InternalPropertyEntity } from './provisioning/internal-property.entity';
import { SamlSettingEntity } from './settings/saml-setting.entity';

/** Tables: `saml_settings` (the SAML settings) and `internal_properties` (`sonar.scim.enabled`). */
export const SAML_ENTITIES = [SamlSettingEntity, InternalPropertyEntity];
