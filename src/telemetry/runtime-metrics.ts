/**
 * Process and runtime metrics every Node dashboard starts from. Event-loop delay and utilization, heap and heap
 * spaces, GC durations (nodejs.*, v8js.*, OpenTelemetry semantic conventions, seconds and bytes) come from
 * @opentelemetry/instrumentation-runtime-node (0.36.1, the last release for Node 20). It has no process CPU or
 * resident memory, so those two (process.cpu.time, process.memory.usage, as the semantic conventions name them)
 * are observed here from process.cpuUsage() and process.memoryUsage.rss(): two callbacks per collection.
 */
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { perMeterProvider } from './certguard-meter.ts';

export function runtimeMetricsInstrumentation(): RuntimeNodeInstrumentation {
  return new RuntimeNodeInstrumentation();
}

const processInstruments = perMeterProvider((meter) => {
  meter.createObservableCounter('process.cpu.time', { description: 'Total CPU seconds broken down by mode', unit: 's' }).addCallback((result) => {
    const { user, system } = process.cpuUsage();
    result.observe(user / 1e6, { 'cpu.mode': 'user' });
    result.observe(system / 1e6, { 'cpu.mode': 'system' });
  });
  meter
    .createObservableUpDownCounter('process.memory.usage', { description: 'The amount of physical memory in use (RSS)', unit: 'By' })
    .addCallback((result) => result.observe(process.memoryUsage.rss()));
  return true;
});

/** Creates the process instruments on the meter provider registered now (called right after the SDK starts). */
export function registerProcessMetrics(): void {
  processInstruments();
}
