import { Controller, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NatsBus } from '@dispatch/bus';
import type { PayloadOf } from '@dispatch/contracts';
import { deleteNamespaceStreams, TEST_NATS_URL, testNamespace, waitFor } from '@dispatch/testing';
import { baseConfigSchema, loadConfig } from '../config/config';
import { createHttpApp } from '../http/create-http-app';
import { InfrastructureModule } from '../infrastructure/infrastructure.module';
import { createLogger } from '../logging/logger';
import { PlatformModule } from '../platform.module';
import { BusContext, BusCtx, BusPayload, OnEvent, OnRequest } from './bus-handlers';

const seen: { name: string; deliveryCount: number }[] = [];
const busWarnings: object[] = [];
let failFirst = true;

@Controller()
class OrgEvents {
  @OnEvent('identity.organization.created.v1', 'probe-service')
  async created(@BusPayload() event: PayloadOf<'identity.organization.created.v1'>, @BusCtx() ctx: BusContext) {
    seen.push({ name: event.name, deliveryCount: ctx.message!.deliveryCount });
    if (event.name === 'flaky' && failFirst) {
      failFirst = false;
      throw new Error('transient');
    }
  }

  @OnRequest('identity.system.ping.v1', 'probe-service')
  ping(@BusPayload() req: PayloadOf<'identity.system.ping.v1'>, @BusCtx() ctx: BusContext) {
    return { pong: req.from, subject: ctx.subject };
  }
}

describe('bus handlers declared with @OnEvent / @OnRequest (real NATS)', () => {
  let bus: NatsBus;
  let app: NestFastifyApplication;
  const namespace = testNamespace();

  beforeAll(async () => {
    bus = await NatsBus.connect({ url: TEST_NATS_URL, namespace, log: { warn: (f) => busWarnings.push(f), error: () => undefined } });
    const config = loadConfig(baseConfigSchema, {});
    const logger = createLogger({ level: 'silent', name: 'probe' });
    @Module({
      imports: [
        PlatformModule.forRoot({ serviceName: 'probe', config, logger }),
        InfrastructureModule.forRoot({ databaseUrl: 'unused', bus }),
      ],
      controllers: [OrgEvents],
    })
    class ProbeModule {}
    app = await createHttpApp(ProbeModule, { config, logger, title: 'probe', version: '0' });
  });
  afterAll(async () => {
    await app.close();
    await bus.close();
    await deleteNamespaceStreams(TEST_NATS_URL, namespace);
  });

  const event = (name: string) => ({ id: name, org: 'acme', name, status: 'READY', revision: 1 });

  it('delivers published events to the handler, and redelivers when it throws', async () => {
    await bus.publish('identity.organization.created.v1', event('steady'));
    await bus.publish('identity.organization.created.v1', event('flaky'));
    await waitFor(() => seen.some((s) => s.name === 'flaky' && s.deliveryCount === 2), { what: 'redelivery of the failed event' });
    expect(seen.filter((s) => s.name === 'steady')).toEqual([{ name: 'steady', deliveryCount: 1 }]);
    expect(seen.filter((s) => s.name === 'flaky').map((s) => s.deliveryCount)).toEqual([1, 2]);
    // The handler's own error reaches the bus log, not a wrapper of the HTTP error filter.
    expect(JSON.stringify(busWarnings)).toContain('transient');
  });

  it('answers requests through the handler', async () => {
    await expect(bus.request('identity.system.ping.v1', { from: 'test' }, { timeoutMs: 2000 })).resolves.toEqual({
      pong: 'test',
      subject: 'identity.system.ping.v1',
    });
  });
});
