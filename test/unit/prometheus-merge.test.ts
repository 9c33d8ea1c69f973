/** The group's /metrics (src/telemetry/prometheus-merge.ts): one valid exposition, each sample labelled by its process. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { mergePrometheusTexts } from '../../src/telemetry/prometheus-merge.ts';

const worker = (requests: number) => `# HELP target_info Target metadata
# TYPE target_info gauge
target_info{service_name="certguard"} 1
# HELP http_server_request_duration Duration of HTTP server requests.
# UNIT http_server_request_duration s
# TYPE http_server_request_duration histogram
http_server_request_duration_count{http_request_method="GET"} ${requests}
http_server_request_duration_sum{http_request_method="GET"} 0.5
http_server_request_duration_bucket{http_request_method="GET",le="+Inf"} ${requests}
# HELP certguard_up Up.
# TYPE certguard_up gauge
certguard_up 1
`;

test('two workers and the primary merge into one exposition promtool accepts, every sample labelled', () => {
  const merged = mergePrometheusTexts([
    {
      label: ['worker', 'primary'],
      text: '# HELP certguard_audit_unsealed Rows waiting.\n# TYPE certguard_audit_unsealed gauge\ncertguard_audit_unsealed 3\n',
    },
    { label: ['worker', '1'], text: worker(5) },
    { label: ['worker', '2'], text: worker(7) },
  ]);
  assert.equal(merged.match(/^# TYPE http_server_request_duration histogram$/gm)?.length, 1);
  assert.match(merged, /^http_server_request_duration_count\{worker="1",http_request_method="GET"\} 5$/m);
  assert.match(merged, /^http_server_request_duration_count\{worker="2",http_request_method="GET"\} 7$/m);
  assert.match(merged, /^certguard_up\{worker="2"\} 1$/m);
  assert.match(merged, /^certguard_audit_unsealed\{worker="primary"\} 3$/m);
  // The samples of one family are contiguous: worker 2's histogram lines follow worker 1's.
  const lines = merged.trim().split('\n');
  const first = lines.findIndex((line) => line.startsWith('http_server_request_duration'));
  assert.ok(
    lines.slice(first, first + 6).every((line) => line.startsWith('http_server_request_duration')),
    merged,
  );
  execFileSync('promtool', ['check', 'metrics'], { input: merged }); // throws on an invalid exposition
});
