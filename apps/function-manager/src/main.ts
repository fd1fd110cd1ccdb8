import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { functionConfigSchema, FunctionManagerModule } from '@dispatch/function-manager';
import { loadConfigOrExit, runServiceApp, serviceConfigSchema } from '@dispatch/platform';
import { z } from 'zod';

// Cluster mode: functions run on OpenFaaS, whose gateway must be named.
const config = loadConfigOrExit(
  serviceConfigSchema.extend(functionConfigSchema.shape).extend({
    OPENFAAS_URL: z.url({ error: 'required in cluster mode: the OpenFaaS gateway, e.g. http://gateway.openfaas:8080' }),
  }),
);

void runServiceApp({ name: 'function-manager', version: DISPATCH_VERSION, feature: FunctionManagerModule.register(config) });
