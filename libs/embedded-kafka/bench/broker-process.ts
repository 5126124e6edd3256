// The broker under benchmark, in its own process so its resident memory is measured alone.
// Reports its port, then answers 'stats' with the peak RSS sampled every 50 ms.
import { EmbeddedKafka } from '../src';

async function main(): Promise<void> {
  const [dataDir] = process.argv.slice(2);
  const broker = await EmbeddedKafka.start({ port: 0, dataDir, defaultPartitions: 4 });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  process.on('message', (m: string) => {
    if (m === 'stats') {
      const cpu = process.cpuUsage();
      process.send?.({
        type: 'stats',
        peakRss,
        rss: process.memoryUsage().rss,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
      peakRss = process.memoryUsage().rss;
    }
    if (m === 'stop') {
      clearInterval(sampler);
      void broker.stop().then(() => process.exit(0));
    }
  });
  process.send?.({ type: 'ready', port: broker.port, rss: process.memoryUsage().rss });
}

void main();
