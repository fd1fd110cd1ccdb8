import type { Command } from 'commander';
import { resourceVerb, verb } from '../../command-kit';
import { addApiKeyCommands } from './apikey';
import { addAuditCommand } from './audit';
import type { IamVerb, Verbs } from './iam-kit';
import { addIssuerCommands } from './issuer';
import { addOrganizationCommands } from './organization';
import { addPolicyCommands } from './policy';
import { addQuotaCommands } from './quota';
import { addRoleCommands } from './role';
import { addServiceAccountCommands } from './serviceaccount';
import { addUsageCommand } from './usage';

const REVOKE = 'revoke credentials (API keys)';

function addAll(verbs: Verbs): void {
  addOrganizationCommands(verbs);
  addServiceAccountCommands(verbs);
  addApiKeyCommands(verbs);
  addRoleCommands(verbs);
  addPolicyCommands(verbs);
  addIssuerCommands(verbs);
  addQuotaCommands(verbs);
  addAuditCommand(verbs);
  addUsageCommand(verbs);
}

/**
 * The identity resources, as `dispatch <verb> <noun>` and again in Dispatch's own shape,
 * `dispatch iam <verb> <noun>`, where Dispatch's flags keep their meanings.
 */
export function addIamCommands(program: Command): void {
  addAll({ verb: (name) => (name === 'revoke' ? verb(program, 'revoke', REVOKE) : resourceVerb(program, name)), dispatchForm: false });

  const iam = program
    .command('iam')
    .description(
      "identity and access (Dispatch's form): dispatch iam create|get|update|delete|revoke NOUN, the same as dispatch create|get|... NOUN",
    );
  const descriptions: Record<IamVerb, string> = {
    get: 'show identity resources',
    create: 'create identity resources',
    update: 'change identity resources',
    delete: 'delete identity resources',
    revoke: REVOKE,
  };
  addAll({ verb: (name) => verb(iam, name, descriptions[name]), dispatchForm: true });
}
