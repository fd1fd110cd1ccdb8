import { FunctionStats, prometheusText } from './metrics';

describe('FunctionStats', () => {
  it('counts calls by status and keeps the recent durations', () => {
    const stats = new FunctionStats();
    stats.record(200, 0.5);
    stats.record(200, 0.25);
    stats.record(504, 2);
    const snapshot = stats.snapshot();
    expect(snapshot).toEqual({
      invocationCount: 3,
      byStatus: { '200': 2, '504': 1 },
      durationSecondsSum: 2.75,
      recentDurationsSeconds: [0.5, 0.25, 2],
    });
    for (let i = 0; i < 2000; i++) stats.record(200, i);
    expect(stats.snapshot().recentDurationsSeconds).toHaveLength(1024);
    expect(stats.snapshot().recentDurationsSeconds.at(-1)).toBe(1999);
  });

  it('prints the gateway metric names in the Prometheus text format', () => {
    const stats = new FunctionStats();
    stats.record(200, 1);
    const text = prometheusText([{ name: 'hello', namespace: 'openfaas-fn', stats: stats.snapshot(), replicas: 2 }]);
    expect(text).toContain('gateway_function_invocation_total{function_name="hello.openfaas-fn",code="200"} 1');
    expect(text).toContain('gateway_functions_seconds_count{function_name="hello.openfaas-fn"} 1');
    expect(text).toContain('gateway_service_count{function_name="hello.openfaas-fn"} 2');
  });
});
