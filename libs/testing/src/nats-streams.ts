import { connect } from 'nats';

/** Removes the streams a namespaced NatsBus created (`<namespace>_*`), so suites leave NATS as they found it. */
export async function deleteNamespaceStreams(url: string, namespace: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(`${namespace}_`)) await jsm.streams.delete(info.config.name);
    }
  } finally {
    await nc.close();
  }
}
