// The engine's one import of ONNX Runtime. Runs wherever a session is created: the backend, the
// CLI and the bench processes.
//
// onnxruntime-node 1.30 on Linux and macOS sends usage telemetry to Microsoft (1DS, to
// mobile.events.data.microsoft.com; added to ORT in 1.29): each process writes a device id and an
// event store under ~/.cache/Microsoft/DeveloperTools/.onnxruntime, an empty /tmp/mat-debug-<pid>.log,
// and uploads events (sessions, models, execution providers, errors) when it has a network. Lookalike keeps a
// merchandiser's catalog on the machine, so it is off unless the user sets ORT_DISABLE_TELEMETRY
// (0 sends). ORT reads it when the first session creates its environment, so setting it here,
// before any session, is early enough; turning it off also takes ~25 ms off each start.
process.env.ORT_DISABLE_TELEMETRY ??= '1';

export * as ort from 'onnxruntime-node';
