import type { StringKey } from './i18n/strings';

type T = (key: StringKey, params?: Record<string, string | number>) => string;

/**
 * Why an execution provider is not used, in the UI language. The backend words the known reasons
 * in English (src-main/engine/providers.ts); they are recognised here and said again in the user's
 * language. An unknown reason (onnxruntime's own message) keeps its text behind a translated lead.
 */
export function providerReason(t: T, reason: string): string {
  if (/^no Vulkan loader/i.test(reason)) return t('models.reason.noVulkan');
  const notBuilt = /is not built into this onnxruntime-node for (\S+)/.exec(reason);
  if (notBuilt) return t('models.reason.notBuilt', { platform: notBuilt[1] ?? '' });
  const notInstalled = /^(\S+) is not installed \(reinstall with: (.+)\)$/.exec(reason);
  if (notInstalled) return t('models.reason.notInstalled', { lib: notInstalled[1] ?? '', command: notInstalled[2] ?? '' });
  return t('models.reason.failed', { reason });
}
