import { orgCrudController } from './org-crud.controller';
import {
  issuerBody,
  issuerUpdateBody,
  policyBody,
  policyUpdateBody,
  roleBody,
  roleUpdateBody,
  serviceAccountBody,
  serviceAccountUpdateBody,
} from './schemas';

/** Custom roles of the caller's org (the built-in ones are fixed). */
export const RolesController = orgCrudController({
  name: 'RolesController',
  path: 'v1/iam/roles',
  resource: 'policy',
  create: roleBody,
  update: roleUpdateBody,
  operations: (iam) => ({
    create: (org, b) => iam.createRole(org, b),
    list: (org, p) => iam.listRoles(org, p),
    get: (org, n) => iam.getRole(org, n),
    update: (org, n, b) => iam.updateRole(org, n, b),
    remove: (org, n) => iam.deleteRole(org, n),
  }),
});

/** Role bindings of the caller's org: who holds which role. */
export const PoliciesController = orgCrudController({
  name: 'PoliciesController',
  path: 'v1/iam/policies',
  resource: 'policy',
  create: policyBody,
  update: policyUpdateBody,
  operations: (iam) => ({
    create: (org, b) => iam.createPolicy(org, b),
    list: (org, p) => iam.listPolicies(org, p),
    get: (org, n) => iam.getPolicy(org, n),
    update: (org, n, b) => iam.updatePolicy(org, n, b),
    remove: (org, n) => iam.deletePolicy(org, n),
  }),
});

/** Service accounts of the caller's org: machine identities known by their public key. */
export const ServiceAccountsController = orgCrudController({
  name: 'ServiceAccountsController',
  path: 'v1/iam/serviceaccounts',
  resource: 'serviceaccount',
  create: serviceAccountBody,
  update: serviceAccountUpdateBody,
  operations: (iam) => ({
    create: (org, b) => iam.createServiceAccount(org, b),
    list: (org, p) => iam.listServiceAccounts(org, p),
    get: (org, n) => iam.getServiceAccount(org, n),
    update: (org, n, b) => iam.updateServiceAccount(org, n, b),
    remove: (org, n) => iam.deleteServiceAccount(org, n),
  }),
});

/** Identity providers the caller's org trusts besides the deployment-wide ones; they vouch for this org only. */
export const IssuersController = orgCrudController({
  name: 'IssuersController',
  path: 'v1/iam/issuers',
  resource: 'issuer',
  create: issuerBody,
  update: issuerUpdateBody,
  operations: (iam) => ({
    create: (org, b) => iam.createIssuer(org, b),
    list: (org, p) => iam.listIssuers(org, p),
    get: (org, n) => iam.getIssuer(org, n),
    update: (org, n, b) => iam.updateIssuer(org, n, b),
    remove: (org, n) => iam.deleteIssuer(org, n),
  }),
});
