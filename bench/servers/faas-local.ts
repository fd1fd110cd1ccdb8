import { startFaasLocal } from '@dispatch/faas-local';
import { serverMain } from '../lib/server-main';

/**
 * faas-local in a process of its own, as cluster mode's OpenFaaS stands apart from the services:
 * 127.0.0.1:PORT, images read from IMAGES_DIR (function-manager's FUNCTION_IMAGES_DIR), its
 * /system API behind basic auth as `admin` / FAAS_PASSWORD. Functions run as its child processes.
 */
serverMain(async () => {
  const faas = await startFaasLocal({
    port: Number(process.env['PORT']),
    imagesRoot: process.env['IMAGES_DIR'] as string,
    basicAuth: { user: 'admin', password: process.env['FAAS_PASSWORD'] as string },
  });
  return () => faas.stop();
});
