// A vitest reporter that names the test files a run started and never finished. When a worker dies
// (a native crash, a kill) vitest says only "Worker exited unexpectedly"; this line, printed last,
// says which file it was running, and which test in it had started.
import type { Reporter, TestCase, TestModule } from 'vitest/node';

export default class UnfinishedReporter implements Reporter {
  private readonly running = new Map<string, { module: TestModule; test?: string }>();

  onTestModuleStart(module: TestModule): void {
    this.running.set(module.moduleId, { module });
  }

  onTestCaseReady(test: TestCase): void {
    const entry = this.running.get(test.module.moduleId);
    if (entry) entry.test = test.fullName;
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module.moduleId);
  }

  onTestRunEnd(): void {
    for (const { module, test } of this.running.values()) {
      process.stderr.write(`unfinished test file: ${module.relativeModuleId}${test ? ` (last test started: ${test})` : ''}\n`);
    }
  }
}
