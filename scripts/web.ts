/**
 * `npm run web`: browser mode (main/cli/web.ts) with what the app itself must not carry: the
 * renderer build and, when no --url is given, the GWS simulator as the demo server.
 */
import { runWeb } from '../main/cli/web.js';
import { controlUrl, rememberControl, startControlServer } from '../sim/control.js';
import { GwsSimulator } from '../sim/simulator.js';
import { buildRenderer } from './build-renderer.js';

await runWeb(process.argv.slice(2), {
  buildRenderer: () => buildRenderer(),
  async startDemoServer(port, controlPort) {
    const sim = new GwsSimulator({ port });
    await sim.start();
    const control = await startControlServer(sim, controlPort);
    rememberControl(controlUrl(control));
    return {
      url: sim.url,
      controlUrl: controlUrl(control),
      close: async () => {
        control.close();
        await sim.stop();
      },
    };
  },
});
